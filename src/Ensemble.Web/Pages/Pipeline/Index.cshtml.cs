using Ensemble.Opportunities;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Pages.Pipeline;

/// <summary>
/// The pipeline board: opportunities in the households I may see, a lane per stage with its totals, filtered by
/// stage, kind and owner role; for those who see the whole firm, the pipeline report for a period with its CSV.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    /// <summary>The board shows at most this many cards; the totals always count everything that matches.</summary>
    public const int BoardLimit = 500;

    [BindProperty(SupportsGet = true)]
    public string? Stage { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Closed { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<OpportunityView> Lines { get; private set; } = [];

    public IReadOnlyList<StageValueRow> Totals { get; private set; } = [];

    /// <summary>The lanes of the board, in pipeline order.</summary>
    public IReadOnlyList<OpportunityStage> Lanes { get; private set; } = [];

    public IReadOnlyList<(string Key, string Name)> Roles { get; private set; } = [];

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public bool WholeFirm { get; private set; }

    public PipelineReport? Report { get; private set; }

    public string ReportQuery { get; private set; } = "";

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public Instant Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        WholeFirm = caller.SeesWholeFirm;
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        Now = clock.GetCurrentInstant();
        Roles = (await db.Roles.AsNoTracking().OrderBy(r => r.Name).Select(r => new { r.Key, r.Name }).ToListAsync(cancellationToken)).Select(r => (r.Key, r.Name)).ToList();

        var (filter, errors) = OpportunitiesApi.Filter(Stage, Kind, Owner, Closed);
        var problems = errors.Select(e => e.Message).ToList();
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var pipeline = new Ensemble.Storage.Opportunities.Pipeline(db, clock);
        if (errors.Count == 0)
        {
            Lines = await pipeline.ListAsync(filter, BoardLimit, 0, visible, cancellationToken);
            Totals = await pipeline.TotalsAsync(filter, visible, cancellationToken);
        }

        Lanes = filter.Stage is { } only
            ? [only]
            : filter.IncludeClosed ? OpportunityStages.All : OpportunityStages.Open;

        if (WholeFirm)
        {
            var period = await OpportunitiesApi.PeriodAsync(From, To, db, clock, cancellationToken);
            if (period.Invalid is null)
            {
                Report = await new PipelineReports(db).BuildAsync(period.From, period.To, cancellationToken: cancellationToken);
                From = period.From.ToString("uuuu-MM-dd", null);
                To = period.To.ToString("uuuu-MM-dd", null);
                ReportQuery = $"from={From}&to={To}";
            }
            else
            {
                problems.Add("The report period is not valid: write both dates as yyyy-MM-dd, the first on or before the second, at most ten years apart.");
            }
        }

        Errors = problems;
    }

    public StageValueRow TotalOf(OpportunityStage stage) =>
        Totals.FirstOrDefault(t => t.Stage == stage) ?? new StageValueRow(stage, 0, 0m, 0m);
}
