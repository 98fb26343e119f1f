using Ensemble.Storage;
using Ensemble.Storage.Consolidation;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Sources;

/// <summary>
/// Resolves a discrepancy from the household page by taking a source's value or one the person gives.
/// With JavaScript the refreshed section comes back in place; without it the browser returns to the section.
/// </summary>
[Access(AccessKind.Household)]
public sealed class ResolveModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public IActionResult OnGet(string key) => Back(key);

    public async Task<IActionResult> OnPostAsync(string key, long id, string? source, string? value, CancellationToken cancellationToken)
    {
        // The form always sends a source; a value typed in means the person gives it themselves.
        var given = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var chosen = given is null ? source : null;
        if (given is null && string.IsNullOrWhiteSpace(chosen))
        {
            return Respond(key, "Choose a source or give the value.", failed: true);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var resolved = await new DiscrepancyDesk(db, clock).ResolveAsync(id, chosen, given, caller.Handle, key, cancellationToken);
        return resolved.IsSuccess
            ? Respond(key, $"{resolved.Value.Label}: {resolved.Value.Resolution}.", failed: false)
            : Respond(key, resolved.Error!.Message, failed: true);
    }

    private IActionResult Respond(string key, string message, bool failed)
    {
        if (Request.Headers.XRequestedWith == "fetch")
        {
            return new ViewComponentResult { ViewComponentName = "HouseholdSources", Arguments = new { key, message, failed } };
        }

        TempData[HouseholdSourcesViewComponent.MessageKey] = message;
        TempData[HouseholdSourcesViewComponent.MessageKey + ":failed"] = failed;
        return Back(key);
    }

    private RedirectResult Back(string key) => Redirect($"/households/{Uri.EscapeDataString(key)}#sources");
}
