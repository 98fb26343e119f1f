using System.Diagnostics;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Tiering: decide 1,000,000 households held in memory (one thread), then re-decide one household after
/// its facts change — in memory, and through the database as the app does it (load, decide, store, audit).
/// </summary>
internal static class TierScenario
{
    public const string Name = "Tiering";

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var figures = new List<Figure>();
        if (provider == options.Providers[0])
        {
            figures.AddRange(InMemory(options));
        }

        figures.Add(await StoredAsync(options, provider));
        return figures;
    }

    private static List<Figure> InMemory(BenchOptions options)
    {
        var count = options.Scale.Name == "full" ? 1_000_000 : 100_000;
        var random = new Random(7);
        var facts = new HouseholdFacts[count];
        for (var i = 0; i < count; i++)
        {
            facts[i] = RandomFacts(random);
        }

        var model = TierModel.Default;
        TierClassifier.Classify(facts[0], model);
        var runs = new List<double>();
        var tally = new int[4];
        for (var run = 0; run < 5; run++)
        {
            Array.Clear(tally);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < facts.Length; i++)
            {
                tally[(int)TierClassifier.Classify(facts[i], model).Tier]++;
            }

            runs.Add(watch.Elapsed.TotalSeconds);
        }

        runs.Sort();
        var median = runs[runs.Count / 2];
        Console.WriteLine($"  {Format.Count(count)} households decided in memory: median of 5 runs {Format.Seconds(median)} (runs {string.Join(", ", runs.Select(Format.Seconds))}); " +
            $"A {Format.Count(tally[0])}, B {Format.Count(tally[1])}, C {Format.Count(tally[2])}, unsegmented {Format.Count(tally[3])}");

        var one = new Latencies();
        for (var i = 0; i < 10_000; i++)
        {
            var changed = facts[i] with { NetWorth = (facts[i].NetWorth ?? 0) + 1_000m };
            var watch = Stopwatch.StartNew();
            TierClassifier.Classify(changed, model);
            one.Add(watch.ElapsedTicks);
        }

        Console.WriteLine($"  one household re-decided in memory after a change: median {Format.Ms(one.MedianMs)}, p99 {Format.Ms(one.P99Ms)}");
        var full = count == 1_000_000;
        return
        [
            new Figure($"{Name}: {Format.Count(count)} households in memory", options.Providers[0], $"{Format.Seconds(median)} (median of 5)",
                "≤ 1 s for 1,000,000", full ? median <= 1.0 : null, "—"),
            new Figure($"{Name}: one household after a change (memory)", options.Providers[0], $"p99 {Format.Ms(one.P99Ms)}", "≤ 1 ms", one.P99Ms <= 1.0, "—"),
        ];
    }

    private static async Task<Figure> StoredAsync(BenchOptions options, StorageProvider provider)
    {
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "tiers");
        await Seeder.SeedAsync(database, clock, 2_000);
        await using var db = database.Open(clock);
        var book = new TierBook(db, clock);
        var all = Stopwatch.StartNew();
        var first = await book.RecomputeAsync();
        all.Stop();
        Console.WriteLine($"  first decision for {Format.Count(first.Decided)} stored households: {Format.Seconds(all.Elapsed.TotalSeconds)}");

        var ids = await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).Take(500).ToListAsync();
        var latencies = new Latencies();
        var random = new Random(11);
        foreach (var id in ids)
        {
            var household = await db.Households.SingleAsync(h => h.Id == id);
            household.SetStatedFacts(household.Stated with { NetWorth = new Money(random.Next(100_000, 5_000_000)) });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            var watch = Stopwatch.StartNew();
            await book.RecomputeAsync([id]);
            latencies.Add(watch.ElapsedTicks);
        }

        Console.WriteLine($"  one stored household re-decided after a change (load, decide, store with audit): median {Format.Ms(latencies.MedianMs)}, p99 {Format.Ms(latencies.P99Ms)}");
        return new Figure($"{Name}: one stored household after a change", provider, $"median {Format.Ms(latencies.MedianMs)}, p99 {Format.Ms(latencies.P99Ms)}",
            "(informational; target is in memory)", null, "—");
    }

    private static HouseholdFacts RandomFacts(Random random)
    {
        decimal? Amount(int max) => random.Next(10) == 0 ? null : random.Next(0, max);
        return new HouseholdFacts(
            LifecycleStage.Client,
            Amount(5_000_000), Amount(3_000_000), Amount(800_000), Amount(20_000), Amount(20_000),
            random.Next(0, 5), random.Next(1, 7), random.Next(25, 90), 2, 0,
            new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
    }
}
