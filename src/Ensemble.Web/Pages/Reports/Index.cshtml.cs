using Ensemble.Storage;
using Ensemble.Storage.Reports;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Reports;

/// <summary>Where work gets stuck, for the principal and operations: overdue by person, open work by step, time per step.</summary>
[Access(AccessKind.ManagePractice)]
public sealed class IndexModel(EnsembleDb db, IClock clock) : PageModel
{
    public IReadOnlyList<OverdueRow> Overdue { get; private set; } = [];

    public IReadOnlyList<StepBacklogRow> Backlog { get; private set; } = [];

    public IReadOnlyList<StepTimeRow> Times { get; private set; } = [];

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        Zone = firm.Zone;
        var reports = new WorkReports(db);
        Overdue = await reports.OverdueAsync(firm.Today(clock), cancellationToken);
        Backlog = (await reports.OpenByStepAsync(cancellationToken)).Take(30).ToList();
        Times = await reports.TimePerStepAsync(clock.GetCurrentInstant() - Duration.FromDays(ReportsApi.DefaultDays), cancellationToken);
    }

    public static string Hours(Duration duration) => duration.TotalHours.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " h";
}
