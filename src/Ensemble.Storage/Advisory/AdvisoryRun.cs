using System.Data.Common;
using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>What a run of the framework did.</summary>
public sealed record AdvisoryRunReport(
    long RunId, LocalDate Day, int Households, int Raised, int VariantChanged, int Resolved, int CouldNotEvaluate, int FrameworkVersion, bool BuiltInFramework, Duration Elapsed)
{
    /// <summary>Where the time went: reading the state up front, reading and evaluating the sheets, writing the changes (alongside).</summary>
    public RunPhases? Phases { get; init; }

    public int Changed => Raised + VariantChanged + Resolved;

    public string Summary =>
        $"{Households:#,0} households evaluated: {Raised:#,0} alerts raised, {VariantChanged:#,0} moved to another variant, {Resolved:#,0} resolved, "
        + $"{CouldNotEvaluate:#,0} rules could not be evaluated ({Elapsed.TotalSeconds:0.0} s).";
}

/// <summary>Time spent per phase of a run; the writing happens while the reading goes on, so it is part of the second phase's time.</summary>
public sealed record RunPhases(TimeSpan LoadingState, TimeSpan ReadingAndEvaluating, TimeSpan Writing);

/// <summary>What re-evaluating a few households did.</summary>
public sealed record HouseholdEvaluation(int Households, int Raised, int VariantChanged, int Resolved, int CouldNotEvaluate);

/// <summary>
/// Runs the firm's advisory framework over the book and keeps alerts in line with it. The stored fact sheets are
/// streamed in household order over their own connection (plain rows, no tracked entities), each is evaluated into
/// one reused outcome array and compared with the open alerts read up front, and only the differences are written,
/// a few thousand rows per transaction: new alerts (with the values behind them), variant moves, and automatic
/// resolution when a condition clears. A run over an unchanged book writes no alert at all.
/// </summary>
public sealed partial class AdvisoryRun(EnsembleDb db, IClock clock)
{
    /// <summary>Changes written per transaction: small enough not to hold SQLite's writer for long, large enough to amortise the commit.</summary>
    public const int BatchRows = 5_000;

    /// <summary>Households re-evaluated per read when a list of them is given.</summary>
    private const int HouseholdsPerRead = 1_000;

    private const string DailyCursor = "advisory:daily";

    /// <summary>Evaluates every household with a fact sheet and writes what changed; recorded as a run with its counts.</summary>
    public async Task<AdvisoryRunReport> RunAsync(string actor = Alert.System, CancellationToken cancellationToken = default)
    {
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var started = clock.GetCurrentInstant();
        var run = new AdvisoryRunRow { StartedAt = started, Actor = actor, FrameworkVersion = firm.Version };
        db.AdvisoryRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        try
        {
            var phases = new PhaseTimer();
            var book = await ServiceModel.ServiceCalendarWriter.WithLargeCacheAsync(db, () => ReconcileBookAsync(firm, today, phases, cancellationToken), cancellationToken);
            var finished = clock.GetCurrentInstant();
            await db.AdvisoryRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(
                u => u.SetProperty(r => r.FinishedAt, finished)
                    .SetProperty(r => r.Households, book.Households)
                    .SetProperty(r => r.Raised, book.Counts.Raised)
                    .SetProperty(r => r.VariantChanged, book.Counts.Moved)
                    .SetProperty(r => r.Resolved, book.Counts.Resolved)
                    .SetProperty(r => r.CouldNotEvaluate, book.CouldNotEvaluate),
                cancellationToken);
            return new AdvisoryRunReport(run.Id, today, book.Households, book.Counts.Raised, book.Counts.Moved, book.Counts.Resolved, book.CouldNotEvaluate,
                firm.Version, firm.BuiltIn, finished - started) { Phases = phases.Result };
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(run.Id, ex);
            throw;
        }
    }

    /// <summary>
    /// Runs the framework once per firm day (facts age and dates come closer even when nothing is imported). The day is
    /// claimed first, so of several nodes sweeping at once only one runs; later calls that day return null. A failed
    /// run gives the day back, so the next sweep tries again.
    /// </summary>
    public async Task<AdvisoryRunReport?> RunDailyAsync(string actor = Alert.System, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var startOfToday = firm.Today(clock).AtStartOfDayInZone(firm.Zone).ToInstant();
        var claim = await DailyClaim.TryClaimAsync(db, DailyCursor, clock.GetCurrentInstant(), startOfToday, cancellationToken);
        if (!claim.Claimed)
        {
            return null;
        }

        try
        {
            return await RunAsync(actor, cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            await DailyClaim.ReleaseAsync(db, DailyCursor, claim, CancellationToken.None);
            throw;
        }
    }

    private DateTimeZone? zone;
    private FirmFramework? framework;

    /// <summary>
    /// Re-evaluates a few households after their facts changed (their sheets rebuilt first). Inside the caller's
    /// transaction when one is open — nothing is committed here then — else in its own. The firm's framework is read
    /// on the first call and kept for the life of this instance (an import's), so calls after it cost no extra reads.
    /// </summary>
    public async Task<HouseholdEvaluation> EvaluateHouseholdsAsync(IReadOnlyCollection<HouseholdId> households, CancellationToken cancellationToken = default)
    {
        var ids = households.Select(h => h.Value).Distinct().Order().ToArray();
        if (ids.Length == 0)
        {
            return new HouseholdEvaluation(0, 0, 0, 0, 0);
        }

        // An import re-evaluates household after household through one instance: the firm's zone and framework are read once.
        zone ??= (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        framework ??= await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var today = clock.GetCurrentInstant().InZone(zone).Date;
        var firm = framework;
        var ambient = db.Database.CurrentTransaction?.GetDbTransaction();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            int visited = 0, unevaluated = 0;
            var counts = default(WriteCounts);
            foreach (var chunk in ids.Chunk(HouseholdsPerRead))
            {
                var (state, rows) = await RunState.LoadAsync(connection, ambient, db.Provider, firm, chunk, cancellationToken);
                var reconciliation = new Reconciliation(firm, today, state, state.Unevaluated);
                reconciliation.Pending.Evaluated.AddRange(state.StaleUnevaluated);
                foreach (var (household, sheet, open) in rows)
                {
                    reconciliation.Visit(household, sheet, open);
                }

                reconciliation.Finish();
                counts += await WriteAsync(firm, reconciliation.TakePending(), state.AnyResolved, today, ambient, cancellationToken);
                visited += reconciliation.Households;
                unevaluated += reconciliation.CouldNotEvaluate;
            }

            return new HouseholdEvaluation(visited, counts.Raised, counts.Moved, counts.Resolved, unevaluated);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static int Day(LocalDate date) => date.ToDateOnly().DayNumber;

    /// <summary>Notes on the run why it stopped; a database that cannot take even that must not hide the first error.</summary>
    private async Task RecordFailureAsync(long runId, Exception ex)
    {
        var failure = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
        try
        {
            db.ChangeTracker.Clear();
            await db.AdvisoryRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Failure, failure), CancellationToken.None);
        }
        catch (Exception) when (ex is not OutOfMemoryException)
        {
            // The original failure is what the caller needs to see.
        }
    }
}
