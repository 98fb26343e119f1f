using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Storage;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Pages.Pipeline;

/// <summary>What the household page's opportunities section shows, and what a failed form sends back to it.</summary>
public sealed record HouseholdOpportunities(
    string Key,
    bool Prospect,
    IReadOnlyList<OpportunityView> Opportunities,
    IReadOnlyList<(string Key, string Name)> Roles,
    IReadOnlyList<(long Id, string Label)> Touchpoints,
    DateTimeZone Zone,
    LocalDate Today,
    Instant Now,
    string? Message,
    IReadOnlyList<FieldError> Errors,
    OpportunityInput? Typed)
{
    /// <summary>Form field names as the API names them, for the messages shown next to each field.</summary>
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;
}

/// <summary>
/// The household page's opportunities: open ones with their stage and a form to move them, closed ones with
/// their history, and a form to open one. The review meeting's "open opportunities" step sends people here
/// (<c>/households/{key}#opportunities</c>). The forms post to <see cref="HouseholdModel"/>.
/// </summary>
public sealed class HouseholdOpportunitiesViewComponent(EnsembleDb db, IClock clock) : ViewComponent
{
    public const string MessageKey = "OpportunityMessage";

    public async Task<IViewComponentResult> InvokeAsync(string key, string? message = null, IReadOnlyList<FieldError>? errors = null, OpportunityInput? typed = null)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var household = HouseholdRoute.Id(HttpContext);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var stage = await db.Households.AsNoTracking().Where(h => h.Id == household).Select(h => h.Stage).SingleAsync(cancellationToken);
        var roles = await db.Roles.AsNoTracking().OrderBy(r => r.Name).Select(r => new { r.Key, r.Name }).ToListAsync(cancellationToken);
        var today = firm.Today(clock);

        // Meetings of the last year and the coming months, for "it came up in this meeting".
        var since = today.PlusYears(-1).Year;
        var touchpoints = await db.Touchpoints.AsNoTracking()
            .Where(t => t.HouseholdId == household && t.Year >= since)
            .Select(t => new { t.Id, t.Kind, t.StartsAt, t.Topic })
            .ToListAsync(cancellationToken);

        message ??= TempData[MessageKey] as string;
        var model = new HouseholdOpportunities(
            key,
            stage == LifecycleStage.Prospect,
            await new Ensemble.Storage.Opportunities.Pipeline(db, clock).ForHouseholdAsync(household, includeClosed: true, cancellationToken),
            roles.Select(r => (r.Key, r.Name)).ToList(),
            touchpoints.OrderByDescending(t => t.StartsAt).Select(t => (t.Id.Value, $"{t.StartsAt.Date:d MMM uuuu}: {t.Kind}{(t.Topic is null ? "" : $" ({t.Topic})")}")).ToList(),
            firm.Zone,
            today,
            clock.GetCurrentInstant(),
            message,
            errors ?? [],
            typed);
        return View("~/Pages/Pipeline/_HouseholdOpportunities.cshtml", model);
    }
}
