using System.Diagnostics;
using Ensemble.Common;
using Ensemble.Storage.Timers;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Timers due while the web app is under load (issue 3: p99 lateness ≤ 1 s under the load benchmark). Each timer
/// starts the bench's process for a household, so firing is real work competing with the requests. Lateness is
/// when the app recorded the timer fired minus when it was due.
/// </summary>
internal static class TimerLateness
{
    private const string KeyPrefix = "bench-load:";

    /// <summary>Schedules <paramref name="count"/> timers evenly between <paramref name="from"/> and <paramref name="to"/> from now.</summary>
    public static async Task ScheduleAsync(BenchDatabase database, IClock clock, int count, TimeSpan from, TimeSpan to)
    {
        await using var db = database.Open(clock);
        var households = await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).Take(count).ToListAsync();
        var now = clock.GetCurrentInstant();
        var step = (to - from) / count;
        db.Actor = "bench";

        // One due at once, not measured: the app's first fire compiles its code and queries, as the requests' warm-up does.
        await StartProcessTimer.ScheduleAsync(db, "bench-warm-up", now, BenchTemplates.ChainKey, households[0], new Dictionary<string, LocalDate>());
        for (var i = 0; i < count; i++)
        {
            var due = now + Duration.FromTimeSpan(from + (step * i));
            var scheduled = await StartProcessTimer.ScheduleAsync(db, KeyPrefix + i, due, BenchTemplates.ChainKey, households[i % households.Count], new Dictionary<string, LocalDate>());
            if (!scheduled.IsSuccess)
            {
                throw new InvalidOperationException(scheduled.Error!.Message);
            }
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for every bench timer to fire; returns their lateness and how many never fired.</summary>
    public static async Task<(Latencies Lateness, int Unfired)> MeasureAsync(BenchDatabase database, IClock clock, TimeSpan grace)
    {
        await using var db = database.Open(clock);
        var waited = Stopwatch.StartNew();
        List<(Instant Due, Instant? Fired)> timers;
        do
        {
            timers = (await db.Timers.AsNoTracking().Where(t => t.Key.StartsWith(KeyPrefix)).Select(t => new { t.DueAt, t.FiredAt }).ToListAsync())
                .Select(t => (t.DueAt, t.FiredAt)).ToList();
            if (timers.TrueForAll(t => t.Fired is not null) || waited.Elapsed > grace)
            {
                break;
            }

            await Task.Delay(500);
        }
        while (true);

        var lateness = new Latencies();
        foreach (var (due, fired) in timers.Where(t => t.Fired is not null))
        {
            lateness.Add(Math.Max(0, (fired!.Value - due).BclCompatibleTicks * Stopwatch.Frequency / TimeSpan.TicksPerSecond));
        }

        return (lateness, timers.Count(t => t.Fired is null));
    }
}
