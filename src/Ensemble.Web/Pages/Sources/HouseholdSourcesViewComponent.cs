using Ensemble.Storage;
using Ensemble.Storage.Consolidation;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Ensemble.Web.Pages.Sources;

/// <summary>What the household page's "Facts and sources" section shows.</summary>
public sealed record HouseholdSourcesView(string Key, HouseholdFactsView? Facts, string? Message, bool Failed);

/// <summary>
/// The household page's "Facts and sources": each consolidated fact with the source it came from, when
/// that source last verified it and whether it is stale, what every other source says, and the open
/// discrepancies with a form to resolve each. The form posts to <see cref="ResolveModel"/>.
/// </summary>
public sealed class HouseholdSourcesViewComponent(EnsembleDb db, IClock clock) : ViewComponent
{
    public const string MessageKey = "SourcesMessage";

    public async Task<IViewComponentResult> InvokeAsync(string key, string? message = null, bool failed = false)
    {
        var read = await new HouseholdFactsReader(db, clock).ReadAsync(key, HttpContext.RequestAborted);
        if (message is null && TempData[MessageKey] is string stored)
        {
            message = stored;
            failed = TempData[MessageKey + ":failed"] is true;
        }

        return View("~/Pages/Sources/_HouseholdSources.cshtml", new HouseholdSourcesView(key, read.IsSuccess ? read.Value : null, message, failed));
    }
}
