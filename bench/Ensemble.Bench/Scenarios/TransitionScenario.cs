using System.Diagnostics;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 1: durable task transitions. Each operation is <see cref="WorkService.CompleteAsync"/> on an
/// open task of a ten-step chain: one transaction that loads the instance, completes the task, activates,
/// dates and routes the next step, writes the audit events and commits durably. Workers each own a set of
/// instances and cycle through them, so no two workers touch the same instance.
/// </summary>
internal static class TransitionScenario
{
    public const string Name = "1 Task transitions";

    private const string Target = "≥ 2,000/s, p99 ≤ 5 ms";

    private const string Baseline = "Temporal ~1,000 transitions/s (2-CPU PG); Camunda 7 100–500 inst/s";

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var scale = options.Scale;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "transitions");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        await Seeder.SeedAsync(database, clock, 2_000, (BenchTemplates.ChainKey + ".yaml", BenchTemplates.Chain(Scale.ChainLength)));

        var figures = new List<Figure>();
        foreach (var workers in options.Workers)
        {
            var open = await StartInstancesAsync(database, clock, scale.TransitionInstances, $"w{workers}");
            using var probe = new CommandProbe();
            var run = await MeasureAsync(database, clock, open, workers, scale.TransitionWarmUp, scale.TransitionDuration, probe);
            var perSecond = run.Latencies.Count / run.Seconds;
            Console.WriteLine($"  workers={workers}: {Format.Count(run.Latencies.Count)} transitions in {Format.Seconds(run.Seconds)} → {Format.Count(perSecond)}/s; " +
                $"median {Format.Ms(run.Latencies.MedianMs)}, p99 {Format.Ms(run.Latencies.P99Ms)}, max {Format.Ms(run.Latencies.MaxMs)}" +
                (run.Failures > 0 ? $"; {run.Failures} failed" : ""));
            Console.WriteLine($"    per transition: {probe.Describe(run.Latencies.Count)}");
            foreach (var line in probe.TopStatements(run.Latencies.Count, 8))
            {
                Console.WriteLine($"      {line}");
            }

            figures.Add(new Figure(
                $"{Name} ({workers} worker{(workers == 1 ? "" : "s")})", provider,
                $"{Format.Count(perSecond)}/s, median {Format.Ms(run.Latencies.MedianMs)}, p99 {Format.Ms(run.Latencies.P99Ms)}",
                Target, perSecond >= 2_000 && run.Latencies.P99Ms <= 5, Baseline));
        }

        return figures;
    }

    /// <summary>Starts the instances in bulk and returns the open first task of each.</summary>
    internal static async Task<List<TaskId>> StartInstancesAsync(BenchDatabase database, IClock clock, int count, string batch)
    {
        await using var db = database.Open(clock);
        var version = await db.TemplateVersions.AsNoTracking().Where(v => v.Key == BenchTemplates.ChainKey).Select(v => v.Id).SingleAsync();
        var households = await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync();
        var items = Enumerable.Range(0, count)
            .Select(n => new BulkStartItem(households[n % households.Count], new Dictionary<string, LocalDate>(), $"bench:{batch}:{n}"))
            .ToList();
        var report = await new BulkStarter(db, clock).StartAsync(version, items, "bench");
        if (report.Started != count)
        {
            throw new InvalidOperationException($"Expected {count} instances, started {report.Started}: {string.Join("; ", report.Errors.Take(3))}");
        }

        var prefix = $"bench:{batch}:";
        return await db.Tasks.AsNoTracking()
            .Where(t => t.Status == WorkTaskStatus.Open && t.Instance.TriggerKey!.StartsWith(prefix))
            .OrderBy(t => t.Id)
            .Select(t => t.Id)
            .ToListAsync();
    }

    private sealed record Run(Latencies Latencies, double Seconds, int Failures);

    private static async Task<Run> MeasureAsync(
        BenchDatabase database, IClock clock, List<TaskId> open, int workers, TimeSpan warmUp, TimeSpan duration, CommandProbe probe)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var shares = Enumerable.Range(0, workers).Select(w => open.Where((_, i) => i % workers == w).ToList()).ToList();
        var results = await Task.WhenAll(shares.Select(share => Task.Run(() => WorkerAsync(database, clock, share, measureFrom, stopAt, probe))));
        var end = results.Max(r => r.LastEnd);
        var all = new Latencies();
        foreach (var r in results)
        {
            all.AddRange(r.Latencies);
        }

        return new Run(all, (Math.Min(end, stopAt) - measureFrom) / (double)Stopwatch.Frequency, results.Sum(r => r.Failures));
    }

    private sealed record WorkerResult(Latencies Latencies, long LastEnd, int Failures);

    private static async Task<WorkerResult> WorkerAsync(BenchDatabase database, IClock clock, List<TaskId> share, long measureFrom, long stopAt, CommandProbe probe)
    {
        await using var db = database.Open(clock);
        var work = new WorkService(db, clock);
        var queue = new Queue<TaskId>(share);
        var latencies = new Latencies();
        var failures = 0;
        var last = measureFrom;
        while (queue.TryDequeue(out var id))
        {
            var before = Stopwatch.GetTimestamp();
            if (before >= stopAt)
            {
                break;
            }

            var measuring = before >= measureFrom;
            probe.Enabled = measuring;
            var result = await work.CompleteAsync(id, "bench");
            var after = Stopwatch.GetTimestamp();
            if (!result.IsSuccess)
            {
                failures++;
                continue;
            }

            if (measuring && after <= stopAt)
            {
                latencies.Add(after - before);
                last = after;
            }

            foreach (var next in result.Value.Activated)
            {
                queue.Enqueue(next.Id);
            }
        }

        probe.Enabled = false;
        return new WorkerResult(latencies, last, failures);
    }
}
