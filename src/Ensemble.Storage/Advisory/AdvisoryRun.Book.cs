using System.Data.Common;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// The run over the whole book. The households are split into as many id ranges as the machine has cores; each range
/// streams over its own connection and is evaluated on its own thread, and the changes they find go to one writer —
/// SQLite has one writer anyway — a few thousand rows per transaction, while the reading goes on.
/// </summary>
public sealed partial class AdvisoryRun
{
    /// <summary>Below this many households a range is not worth its own connection and thread (tests set it low to split small books).</summary>
    internal int HouseholdsPerRange { get; init; } = 20_000;

    private sealed record BookResult(int Households, int CouldNotEvaluate, WriteCounts Counts);

    private async Task<BookResult> ReconcileBookAsync(FirmFramework firm, LocalDate today, PhaseTimer phases, CancellationToken cancellationToken)
    {
        var counts = default(WriteCounts);
        if (await FrameworkChangedAsync(firm, cancellationToken))
        {
            // Rules taken out of the framework: their open alerts are closed, also in households without a sheet.
            counts += new WriteCounts(0, 0, await WriteOrphansAsync(firm, cancellationToken));
        }

        var state = await RunState.LoadAsync(db.Database.GetDbConnection(), db.Provider, firm, cancellationToken);
        var ranges = await RangesAsync(cancellationToken);
        phases.Loaded();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<PendingChanges>(new BoundedChannelOptions(2 * ranges.Count) { SingleReader = true });
        var writer = Task.Run(() => WriteBatchesAsync(firm, batches.Reader, state.AnyResolved, today, phases, stop), CancellationToken.None);
        if (state.StaleUnevaluated.Count > 0)
        {
            var stale = new PendingChanges();
            stale.Evaluated.AddRange(state.StaleUnevaluated);
            await batches.Writer.WriteAsync(stale, stop.Token);
        }

        var readers = ranges
            .Select(range => Task.Run(() => ReadRangeAsync(firm, today, state, range, batches.Writer, stop), CancellationToken.None))
            .ToArray();
        Exception? failure = null;
        try
        {
            await Task.WhenAll(readers);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        batches.Writer.TryComplete();
        try
        {
            counts += await writer;
        }
        catch (Exception ex) when (failure is null || failure is OperationCanceledException)
        {
            failure = ex;
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        var visited = readers.Select(r => r.Result).ToList();
        return new BookResult(visited.Sum(v => v.Households), visited.Sum(v => v.CouldNotEvaluate), counts);
    }

    /// <summary>Streams one range of households, evaluates them and hands what changed to the writer.</summary>
    private async Task<(int Households, int CouldNotEvaluate)> ReadRangeAsync(
        FirmFramework firm, LocalDate today, RunState state, (long First, long Last) range, ChannelWriter<PendingChanges> batches, CancellationTokenSource stop)
    {
        try
        {
            var reconciliation = new Reconciliation(firm, today, state, state.UnevaluatedBetween(range.First, range.Last));
            await using var reading = EnsembleDatabase.CreateContext(new DatabaseLocation(db.Provider, db.Database.GetConnectionString()!), clock);
            await reading.Database.OpenConnectionAsync(stop.Token);
            await using (var read = Sql.Command(reading.Database.GetDbConnection(), null, HouseholdRows.Query(db.Provider, null, ranged: true)))
            {
                Sql.Add(read, "@first", range.First);
                Sql.Add(read, "@last", range.Last);
                await using var reader = await read.ExecuteReaderAsync(stop.Token);
                var buffer = new byte[firm.Framework.Catalog.Count * sizeof(double)];
                while (await reader.ReadAsync(stop.Token))
                {
                    var length = (int)reader.GetBytes(1, 0, buffer, 0, buffer.Length);
                    reconciliation.Visit(reader.GetInt64(0), buffer.AsSpan(0, length), reader.IsDBNull(2) ? default : reader.GetString(2));
                    if (reconciliation.Pending.Count >= BatchRows)
                    {
                        await batches.WriteAsync(reconciliation.TakePending(), stop.Token);
                    }
                }
            }

            reconciliation.Finish();
            await batches.WriteAsync(reconciliation.TakePending(), stop.Token);
            return (reconciliation.Households, reconciliation.CouldNotEvaluate);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    /// <summary>The one writer: each batch in its own transaction, on this run's own connection.</summary>
    private async Task<WriteCounts> WriteBatchesAsync(
        FirmFramework firm, ChannelReader<PendingChanges> batches, bool lookUpPrevious, LocalDate today, PhaseTimer phases, CancellationTokenSource stop)
    {
        try
        {
            var counts = default(WriteCounts);
            await foreach (var batch in batches.ReadAllAsync(stop.Token))
            {
                phases.StartWriting();
                counts += await WriteAsync(firm, batch, lookUpPrevious, today, null, stop.Token);
                phases.StopWriting();
            }

            return counts;
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    /// <summary>Household id ranges of about equal size, one per core (one for a small book); together they cover every id.</summary>
    private async Task<List<(long First, long Last)>> RangesAsync(CancellationToken cancellationToken)
    {
        // The span of ids stands in for the count: min and max come straight off the key, a count would read the table.
        var (low, high) = (0L, -1L);
        await using (var command = Sql.Command(db.Database.GetDbConnection(), null, "SELECT min(household_id), max(household_id) FROM fact_sheets"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
            {
                (low, high) = (reader.GetInt64(0), reader.GetInt64(1));
            }
        }

        var count = high - low + 1;
        var parts = (int)Math.Clamp(Math.Min(Environment.ProcessorCount, count / HouseholdsPerRange), 1, 8);
        var ranges = new List<(long, long)>(parts);
        var step = (high - low + 1) / parts;
        for (var i = 0; i < parts; i++)
        {
            ranges.Add((i == 0 ? long.MinValue : low + (i * step), i == parts - 1 ? long.MaxValue : low + ((i + 1) * step) - 1));
        }

        return ranges;
    }

    /// <summary>Whether the framework may have lost rules since the last run that finished (a different settings version, or no such run).</summary>
    private async Task<bool> FrameworkChangedAsync(FirmFramework firm, CancellationToken cancellationToken)
    {
        var last = await db.AdvisoryRuns.AsNoTracking()
            .Where(r => r.FinishedAt != null)
            .OrderByDescending(r => r.Id)
            .Select(r => (int?)r.FrameworkVersion)
            .FirstOrDefaultAsync(cancellationToken);
        return last != firm.Version;
    }

    private async Task<int> WriteOrphansAsync(FirmFramework firm, CancellationToken cancellationToken)
    {
        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var resolved = await AlertWriter.ResolveOrphansAsync(
            db.Database.GetDbConnection(), transaction.GetDbTransaction(), firm, clock.GetCurrentInstant().ToUnixTimeMilliseconds(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return resolved;
    }

    /// <summary>Writes what is pending in the caller's transaction, or in one of its own taken in turn with the process's other SQLite writers.</summary>
    private async Task<WriteCounts> WriteAsync(FirmFramework firm, PendingChanges pending, bool lookUpPrevious, LocalDate today, DbTransaction? ambient, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return default;
        }

        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        var connection = db.Database.GetDbConnection();
        WriteCounts counts;
        if (ambient is not null)
        {
            counts = await AlertWriter.WriteAsync(connection, ambient, db.Provider, firm, pending, lookUpPrevious, now, Day(today), cancellationToken);
        }
        else
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            counts = await AlertWriter.WriteAsync(connection, transaction.GetDbTransaction(), db.Provider, firm, pending, lookUpPrevious, now, Day(today), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return counts;
    }

    /// <summary>Times a run's phases for the report: reading what is open, then reading and evaluating the book, with the writer's busy time alongside.</summary>
    private sealed class PhaseTimer
    {
        private readonly System.Diagnostics.Stopwatch total = System.Diagnostics.Stopwatch.StartNew();
        private readonly System.Diagnostics.Stopwatch writing = new();
        private TimeSpan loading;

        public RunPhases Result => new(loading, total.Elapsed - loading, writing.Elapsed);

        public void Loaded() => loading = total.Elapsed;

        public void StartWriting() => writing.Start();

        public void StopWriting() => writing.Stop();
    }
}
