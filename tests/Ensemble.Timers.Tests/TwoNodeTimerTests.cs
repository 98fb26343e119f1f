using System.Globalization;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Timers;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Xunit.Abstractions;

namespace Ensemble.Timers.Tests;

/// <summary>
/// Two real web processes on one PostgreSQL database fire the same timers; one is killed part-way.
/// Every timer must fire exactly once, the survivor taking over the dead node's claims when their
/// leases run out.
/// </summary>
public sealed class TwoNodeTimerTests(ITestOutputHelper output)
{
    private const string Prefix = "two-nodes:";
    private const int Timers = 400;
    private const int LeaseSeconds = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly Duration FirstDue = Duration.FromSeconds(1.5);
    private static readonly Duration Spread = Duration.FromSeconds(8);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);

    [PostgresFact]
    public async Task TwoNodes_OneKilledMidway_EveryTimerFiresExactlyOnce()
    {
        await using var scratch = await ScratchDatabase.CreateAsync("timers");
        var database = scratch.ConnectionString;
        var settings = new Dictionary<string, string>
        {
            ["demo-households"] = "20",
            ["timer-lease-seconds"] = LeaseSeconds.ToString(CultureInfo.InvariantCulture),
        };

        // One after the other: the first creates the schema and the demo firm, the second finds them.
        await using var a = await WebNode.StartAsync("a", database, settings, StartTimeout);
        await using var b = await WebNode.StartAsync("b", database, settings, StartTimeout);

        var clock = SystemClock.Instance;
        await using var db = EnsembleDatabase.CreateContext(EnsembleDatabase.Describe(database), clock);
        var households = await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync();
        Assert.NotEmpty(households);
        var meeting = new Dictionary<string, LocalDate> { ["meeting"] = clock.GetCurrentInstant().InUtc().Date.PlusDays(30) };

        // A first round warms both processes up (JIT, EF query compilation: seconds on a small machine),
        // so the measured round shows the steady state. It is not counted below.
        await ScheduleAsync(db, "warm-up", 40, clock.GetCurrentInstant(), Duration.FromSeconds(1), households, meeting);
        await WaitUntilFiredAsync(db, "warm-up", [a, b]);

        // 400 process starts due over the next ~8 s; one node is killed after ~3 s.
        await ScheduleAsync(db, Prefix, Timers, clock.GetCurrentInstant() + FirstDue, Spread, households, meeting);
        await Task.Delay(KillAfter);
        a.Kill();
        var killedAt = clock.GetCurrentInstant();
        var pendingAtKill = await db.Timers.CountAsync(t => t.Key.StartsWith(Prefix) && t.FiredAt == null);
        await WaitUntilFiredAsync(db, Prefix, [b]);

        var timers = await db.Timers.AsNoTracking().Where(t => t.Key.StartsWith(Prefix)).ToListAsync();
        var started = await db.Instances.AsNoTracking()
            .Where(i => i.TriggerKey != null && i.TriggerKey.StartsWith(StartProcessTimer.TriggerKey(Prefix)))
            .Select(i => i.TriggerKey!)
            .ToListAsync();

        // Every timer fired once, and each started exactly one process.
        Assert.Equal(Timers, timers.Count);
        Assert.All(timers, t => Assert.NotNull(t.FiredAt));
        Assert.All(timers, t => Assert.Null(t.LastError));
        Assert.Equal(Timers, started.Count);
        Assert.Equal(Timers, started.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(timers.Select(t => StartProcessTimer.TriggerKey(t.Key)).Order(StringComparer.Ordinal), started.Order(StringComparer.Ordinal));

        // Both nodes fired some; the killed one nothing after it died; the kill came mid-way.
        var byNode = timers.GroupBy(t => t.FiredBy).ToDictionary(g => g.Key ?? "", g => g.Count());
        Assert.Equal(["a", "b"], byNode.Keys.Order(StringComparer.Ordinal));
        Assert.All(timers.Where(t => t.FiredBy == "a"), t => Assert.True(t.FiredAt <= killedAt));
        Assert.True(pendingAtKill > 0, "The kill came after every timer had fired.");

        var reclaimed = timers.Where(t => t.Attempts > 1).ToList();
        output.WriteLine($"fired by a: {byNode["a"]}, by b: {byNode["b"]}; pending when a was killed: {pendingAtKill}; claimed again after a's lease ran out: {reclaimed.Count}");
        var lateness = Describe(output, "all", timers);
        Describe(output, "fired before the kill", timers.Where(t => t.FiredAt < killedAt));
        Describe(output, "fired after the kill, first claim", timers.Where(t => t.FiredAt >= killedAt && t.Attempts == 1));
        Describe(output, "claimed by a, reclaimed by b", reclaimed);

        // A dead node's claims wait for their lease (5 s) to run out; nothing should be later than that by much.
        Assert.True(lateness.Max < 30_000, $"A timer fired {lateness.Max:0} ms late.");
    }

    private static async Task ScheduleAsync(
        EnsembleDb db, string prefix, int count, Instant first, Duration spread, List<HouseholdId> households, Dictionary<string, LocalDate> anchors)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var n = 0; n < count; n++)
        {
            var due = first + spread * n / count;
            var scheduled = await StartProcessTimer.ScheduleAsync(db, $"{prefix}{n:000}", due, "review-meeting", households[n % households.Count], anchors);
            Assert.True(scheduled.IsSuccess, scheduled.Error?.Message);
        }

        await transaction.CommitAsync();
    }

    private static async Task WaitUntilFiredAsync(EnsembleDb db, string prefix, WebNode[] running)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await db.Timers.CountAsync(t => t.Key.StartsWith(prefix) && t.FiredAt == null) > 0)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60) || running.Any(n => n.HasExited))
            {
                var output = string.Join("\n", running.Select(n => $"--- {n.Name} (exited: {n.HasExited}) ---\n{Tail(n.Output)}"));
                Assert.Fail($"{prefix} timers are still unfired after {waited.Elapsed}.\n{output}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Writes the lateness (fired minus due) of some timers: median, p90, p99 and worst, in milliseconds.</summary>
    private static (double Median, double P99, double Max) Describe(ITestOutputHelper output, string which, IEnumerable<DueTimer> timers)
    {
        var sorted = timers.Select(t => (t.FiredAt!.Value - t.DueAt).TotalMilliseconds).Order().ToList();
        if (sorted.Count == 0)
        {
            output.WriteLine($"lateness, {which}: none");
            return (0, 0, 0);
        }

        double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        output.WriteLine($"lateness, {which} ({sorted.Count}): median {Percentile(0.5):0} ms, p90 {Percentile(0.9):0} ms, p99 {Percentile(0.99):0} ms, max {sorted[^1]:0} ms");
        return (Percentile(0.5), Percentile(0.99), sorted[^1]);
    }

    private static string Tail(string text) => text.Length <= 6_000 ? text : text[^6_000..];
}
