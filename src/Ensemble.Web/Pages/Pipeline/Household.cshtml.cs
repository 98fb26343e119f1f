using System.Globalization;
using Ensemble.Common;
using Ensemble.Opportunities;
using Ensemble.Storage;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Pipeline;

/// <summary>
/// The household page's opportunity forms: open one, move one. With JavaScript the refreshed section comes back
/// in place; without it the browser returns to the household page at the section, with the outcome shown there.
/// </summary>
[Access(AccessKind.Household)]
public sealed class HouseholdModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public IActionResult OnGet(string key) => Back(key);

    public async Task<IActionResult> OnPostOpenAsync(
        string key, string? kind, string? title, string? estimatedAssets, string? estimatedRevenue, string? ownerRole, string? expectedClose, string? touchpointId,
        CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var input = new OpportunityInput(
            kind, title, Number("estimatedAssets", estimatedAssets, errors), Number("estimatedRevenue", estimatedRevenue, errors), ownerRole, expectedClose,
            string.IsNullOrWhiteSpace(touchpointId) ? null : (long?)Number("touchpointId", touchpointId, errors));
        var pipeline = new Ensemble.Storage.Opportunities.Pipeline(db, clock);
        var household = HouseholdRoute.Id(HttpContext);
        var (_, found) = await pipeline.CheckAsync(household, input, cancellationToken: cancellationToken);
        errors.AddRange(found.Where(f => !errors.Any(e => e.Field == f.Field)));
        if (errors.Count > 0)
        {
            return Respond(key, "The opportunity was not opened: " + string.Join(" ", errors.Select(e => e.Message)), errors, input);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var opened = await pipeline.OpenAsync(household, input, caller.Handle, cancellationToken);
        return opened.IsSuccess
            ? Respond(key, $"Opened “{opened.Value.Title}” at {OpportunityStages.Name(opened.Value.Stage)}.")
            : Respond(key, opened.Error!.Message, [new("form", opened.Error.Message)], input);
    }

    public async Task<IActionResult> OnPostMoveAsync(long id, int? version, string? stage, string? note, string key, CancellationToken cancellationToken)
    {
        if (OpportunityStages.ParseStage(stage) is not { } to)
        {
            return Respond(key, $"Choose a stage to move to: {OpportunityStages.StageChoices}.", [new("stage", "Choose a stage.")]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var moved = await new Ensemble.Storage.Opportunities.Pipeline(db, clock).MoveAsync(
            new OpportunityId(id), to, string.IsNullOrWhiteSpace(note) ? null : note, caller.Handle, HouseholdRoute.Id(HttpContext), version, cancellationToken);
        return moved.IsSuccess
            ? Respond(key, $"“{moved.Value.Title}” is now at {OpportunityStages.Name(moved.Value.Stage)}{(moved.Value.IsOpen ? "." : " and closed.")}")
            : Respond(key, moved.Error!.Message, [new("stage", moved.Error.Message)]);
    }

    private static decimal? Number(string field, string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var cleaned = text.Trim().Replace(",", "", StringComparison.Ordinal).TrimStart('$');
        if (decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new(field, $"\"{text}\" is not a number."));
        return null;
    }

    private IActionResult Respond(string key, string message, IReadOnlyList<FieldError>? errors = null, OpportunityInput? typed = null)
    {
        if (Request.Headers.XRequestedWith == "fetch")
        {
            return new ViewComponentResult
            {
                ViewComponentName = "HouseholdOpportunities",
                Arguments = new { key, message, errors = errors ?? [], typed },
            };
        }

        TempData[HouseholdOpportunitiesViewComponent.MessageKey] = message;
        return Back(key);
    }

    private RedirectResult Back(string key) => Redirect($"/households/{Uri.EscapeDataString(key)}#opportunities");
}
