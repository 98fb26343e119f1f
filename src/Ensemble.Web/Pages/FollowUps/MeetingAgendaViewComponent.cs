using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Advisory.FollowUps;
using Microsoft.AspNetCore.Mvc;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>What a meeting's agenda section shows.</summary>
public sealed record MeetingAgendaSection(IReadOnlyList<AgendaItemView> Items);

/// <summary>A meeting page's "Agenda": the points follow-ups put there (alerts to take up with the client), and any withdrawn since.</summary>
public sealed class MeetingAgendaViewComponent(EnsembleDb db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long touchpointId) =>
        View("~/Pages/FollowUps/_MeetingAgenda.cshtml",
            new MeetingAgendaSection(await new FollowUpViews(db).AgendaAsync(new TouchpointId(touchpointId), HttpContext.RequestAborted)));
}
