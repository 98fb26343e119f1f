using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>What the household page's follow-ups section shows.</summary>
public sealed record HouseholdFollowUpsSection(string Key, IReadOnlyList<FollowUpView> Open, IReadOnlyList<FollowUpView> Closed, IReadOnlyList<AgendaItemView> Agenda);

/// <summary>
/// The household page's "Follow-ups": how each of its alerts is being followed up (the task and who has it, the
/// meeting agenda, the message queued for delivery) and the points standing on its coming meetings' agendas.
/// </summary>
public sealed class HouseholdFollowUpsViewComponent(EnsembleDb db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string key)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var household = HouseholdRoute.Id(HttpContext);
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var views = new FollowUpViews(db);
        var followUps = await views.ForHouseholdAsync(framework, household, closedLimit: 10, cancellationToken);
        var agenda = await views.HouseholdAgendaAsync(household, cancellationToken);
        return View("~/Pages/FollowUps/_HouseholdFollowUps.cshtml", new HouseholdFollowUpsSection(
            key, followUps.Where(f => f.IsOpen).ToList(), followUps.Where(f => !f.IsOpen).ToList(), agenda));
    }
}
