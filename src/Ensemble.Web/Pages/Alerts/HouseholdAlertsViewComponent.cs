using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Ensemble.Web.Pages.Alerts;

/// <summary>What the household page's alerts section shows.</summary>
public sealed record HouseholdAlerts(string Key, IReadOnlyList<AlertView> Open, IReadOnlyList<AlertView> Resolved, DateTimeZone Zone, LocalDate Today, string? Message, bool Failed);

/// <summary>
/// The household page's "Alerts": the open alerts ranked, each with the values that made it fire and the moves
/// people make, and the latest resolved ones. The forms post to <see cref="HouseholdModel"/> and update in place.
/// </summary>
public sealed class HouseholdAlertsViewComponent(EnsembleDb db, IClock clock) : ViewComponent
{
    public const string MessageKey = "AlertMessage";

    public async Task<IViewComponentResult> InvokeAsync(string key, string? message = null, bool failed = false)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var alerts = await new AlertViews(db, clock).ForHouseholdAsync(framework, HouseholdRoute.Id(HttpContext), includeResolved: true, resolvedLimit: 10, cancellationToken);
        if (message is null && TempData[MessageKey] is string stored)
        {
            message = stored;
            failed = TempData[MessageKey + ":failed"] is true;
        }

        return View("~/Pages/Alerts/_HouseholdAlerts.cshtml", new HouseholdAlerts(
            key, alerts.Where(a => a.IsOpen).ToList(), alerts.Where(a => !a.IsOpen).ToList(), firm.Zone, firm.Today(clock), message, failed));
    }
}
