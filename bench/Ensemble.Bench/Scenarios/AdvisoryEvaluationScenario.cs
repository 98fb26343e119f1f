using System.Diagnostics;
using System.Globalization;
using Ensemble.Advisory;
using Ensemble.Bench.Advisory;
using Ensemble.Consolidation;
using Ensemble.Storage;
using NodaTime;
using RulesEngine.Models;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// The default advisory framework over the same synthetic book three ways, side by side in one run: Ensemble's
/// compiled framework, the same rules hand-written in C#, and Microsoft RulesEngine 6.0.1 running them as
/// lambda expressions. The compiled framework and the hand-written rules must agree on every outcome first.
/// Pure and in memory, so it is measured once, under the first provider.
/// </summary>
internal static class AdvisoryEvaluationScenario
{
    public const string Name = "Advisory evaluation";

    private const int Seed = 20261130;
    private const int Passes = 5;

    private static readonly LocalDate Today = new(2026, 11, 30);

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        if (provider != options.Providers[0])
        {
            Console.WriteLine("  (in memory; measured once, on the first provider)");
            return [];
        }

        var full = options.Scale.Name == "full";
        var count = full ? 1_000_000 : 100_000;
        var sampleSize = full ? 20_000 : 5_000;
        var catalog = FactCatalog.Default;

        var watch = Stopwatch.StartNew();
        var loaded = AdvisoryFramework.Load(BuiltInFramework.Source, BuiltInFramework.FileName, catalog);
        var framework = loaded.Framework ?? throw new InvalidOperationException(string.Join(Environment.NewLine, loaded.Diagnostics));
        var compileMs = watch.Elapsed.TotalMilliseconds;
        var rules = framework.Rules.Count;
        HandWrittenRules.CheckCatalog(catalog);
        RequireSameRules("hand-written", framework, HandWrittenRules.Keys);
        RequireSameRules("RulesEngine", framework, RulesEngineRules.Keys);

        watch.Restart();
        var sheets = SyntheticHouseholds.Generate(catalog, count, Seed, Today);
        var complete = sheets.Count(SyntheticHouseholds.IsComplete);
        Console.WriteLine($"  {Format.Count(count)} synthetic households (seed {Seed}, {Format.Count(complete)} with every fact known) in {Format.Seconds(watch.Elapsed.TotalSeconds)}; " +
            $"framework: {rules} rules, parsed, checked and compiled in {Format.Ms(compileMs)}");

        // Agreement before any timing: every household on the run's day, and 100,000 on days that reach the other month variants.
        watch.Restart();
        var tally = Agreement.Check(framework, sheets, count, Today);
        Agreement.RequireCoverage(framework, tally, count);
        var checkedOn = new List<LocalDate> { Today };
        foreach (var other in new[] { new LocalDate(2026, 12, 15), new LocalDate(2026, 6, 15) })
        {
            Agreement.Check(framework, sheets, Math.Min(count, 100_000), other);
            checkedOn.Add(other);
        }

        var couldNot = tally.Sum(t => t[0]);
        var raisedShares = tally.Select(t => (double)t.Skip(2).Sum() / count).ToList();
        Console.WriteLine($"  agreement: compiled and hand-written give the same {Format.Count((long)count * rules)} outcomes on {Today:yyyy-MM-dd} " +
            $"(and on 100,000 households on {string.Join(" and ", checkedOn.Skip(1).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}) — checked in {Format.Seconds(watch.Elapsed.TotalSeconds)}");
        Console.WriteLine($"  each rule raised for {Percent(raisedShares.Min())}–{Percent(raisedShares.Max())} of households; " +
            $"{Format.Count(couldNot)} outcomes ({Percent((double)couldNot / ((long)count * rules))}) could not be evaluated (missing facts)");

        // Timing: the three take turns, pass by pass, so a busy spell on the machine hits them alike; the first pass of each warms up.
        var day = framework.DayOf(Today);
        var hand = HandWrittenDay.For(Today);
        var outcomes = new int[rules];
        var (engine, sample, reDay, reChecked) = await PrepareRulesEngineAsync(framework, sheets, sampleSize, day);
        EnsemblePass(framework, sheets, day, outcomes);
        HandWrittenPass(sheets, hand, outcomes);
        var ensembleRuns = new List<double>();
        var handRuns = new List<double>();
        var reRuns = new List<double>();
        var allocations = new List<long>();
        for (var pass = 0; pass < Passes; pass++)
        {
            // RulesEngine allocates as it goes: collect before the next pass so no background GC runs during it,
            // and let Ensemble and the hand-written rules take turns at going first.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (pass % 2 == 1)
            {
                handRuns.Add(HandWrittenPass(sheets, hand, outcomes));
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            ensembleRuns.Add(EnsemblePass(framework, sheets, day, outcomes));
            allocations.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (pass % 2 == 0)
            {
                handRuns.Add(HandWrittenPass(sheets, hand, outcomes));
            }

            reRuns.Add(await RulesEnginePassAsync(engine, sample, reDay, outcomes));
        }

        var ensemble = Median(ensembleRuns);
        var handWritten = Median(handRuns);
        var rulesEngine = Median(reRuns);
        var reRuleCount = engine.RuleCount;
        var allocated = allocations.Max();
        var perEvaluation = (double)allocated / count;
        Console.WriteLine($"  Ensemble compiled: median of {Passes} {Format.Seconds(ensemble)} (runs {Runs(ensembleRuns)}), {Rate(count * (double)rules / ensemble)} rule evaluations/s; " +
            $"allocated {string.Join(", ", allocations.Select(a => Format.Count(a)))} bytes in the passes of {Format.Count(count)} evaluations ({perEvaluation.ToString("0.###", CultureInfo.InvariantCulture)} B each at most)");
        Console.WriteLine($"  hand-written C#:   median of {Passes} {Format.Seconds(handWritten)} (runs {Runs(handRuns)}), {Rate(count * (double)rules / handWritten)} rule evaluations/s");

        var rePerHousehold = rulesEngine / sampleSize;
        Console.WriteLine($"  RulesEngine 6.0.1: the first {Format.Count(sampleSize)} households of the same book (a sample, extrapolated per household), median of {Passes} {Format.Seconds(rulesEngine)} (runs {Runs(reRuns)}); " +
            $"{Rate(sampleSize * (double)rules / rulesEngine)} rule evaluations/s ({Rate(sampleSize * (double)reRuleCount / rulesEngine)}/s of its own {reRuleCount} rules, a rule per variant); " +
            $"extrapolated to {Format.Count(count)}: {Format.Seconds(rePerHousehold * count)}");
        Console.WriteLine($"  RulesEngine agrees with Ensemble on all {Format.Count(reChecked)} fully documented households of the sample (raised or not, and which variant)");

        var latencies = OneHousehold(framework, sheets, day, rules, catalog);
        var versusRulesEngine = rePerHousehold / (ensemble / count);
        var versusHand = ensemble / handWritten;
        Console.WriteLine($"  one household re-evaluated after a change: median {Micros(latencies.MedianMs)}, p99 {Micros(latencies.P99Ms)}, max {Micros(latencies.MaxMs)}");
        Console.WriteLine($"  Ensemble vs RulesEngine: {Times(versusRulesEngine)} faster (target ≥ 40×)");
        Console.WriteLine($"  Ensemble vs hand-written C#: {Times(versusHand)} (target ≤ 1.5×)");

        var book = Format.Count(count);
        return
        [
            new Figure($"{Name}: Ensemble, {book} households × {rules} rules", provider,
                $"{Format.Seconds(ensemble)} (median of 5), {Rate(count * (double)rules / ensemble)} rules/s", "—", null, $"hand-written {Format.Seconds(handWritten)}"),
            new Figure($"{Name}: Ensemble vs RulesEngine 6.0.1", provider, $"{Times(versusRulesEngine)} faster",
                "≥ 40×", full ? versusRulesEngine >= 40 : null, $"RulesEngine {Rate(sampleSize * (double)rules / rulesEngine)} rules/s ({Format.Count(sampleSize)} sampled)"),
            new Figure($"{Name}: Ensemble vs hand-written C#", provider, $"{Times(versusHand)}", "≤ 1.5×", full ? versusHand <= 1.5 : null, "—"),
            new Figure($"{Name}: allocation per evaluation", provider, $"{perEvaluation.ToString("0.###", CultureInfo.InvariantCulture)} B", "0 (beyond alerts raised)", perEvaluation < 1, "—"),
            new Figure($"{Name}: one household after a change", provider, $"p99 {Micros(latencies.P99Ms)}", "≤ 1 ms", latencies.P99Ms <= 1.0, "—"),
        ];
    }

    private static double EnsemblePass(AdvisoryFramework framework, double[][] sheets, DayValues day, int[] outcomes)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var sheet in sheets)
        {
            framework.Evaluate(sheet, day, outcomes);
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double HandWrittenPass(double[][] sheets, HandWrittenDay day, int[] outcomes)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var sheet in sheets)
        {
            HandWrittenRules.Evaluate(sheet, day, outcomes);
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// RulesEngine over a sample of the same book, converted to its input objects beforehand (not timed). The first
    /// pass compiles its rules and warms it up, and checks it against Ensemble on the fully documented households.
    /// </summary>
    private static async Task<(RulesEngineRules Engine, RulesEngineHousehold[] Households, RuleParameter Day, int Checked)> PrepareRulesEngineAsync(
        AdvisoryFramework framework, double[][] sheets, int sampleSize, DayValues day)
    {
        var engine = new RulesEngineRules();
        var households = sheets.Take(sampleSize).Select(s => RulesEngineHousehold.From(s, framework.Catalog)).ToArray();
        var reDay = new RuleParameter("d", RulesEngineDay.For(Today));
        var rules = framework.Rules.Count;
        var outcomes = new int[rules];
        var expected = new int[rules];
        var agreed = 0;
        for (var i = 0; i < households.Length; i++)
        {
            await engine.EvaluateAsync(households[i], reDay, outcomes);
            if (!SyntheticHouseholds.IsComplete(sheets[i]))
            {
                continue;
            }

            framework.Evaluate(sheets[i], day, expected);
            for (var r = 0; r < rules; r++)
            {
                if (expected[r] != outcomes[r])
                {
                    throw new InvalidOperationException(
                        $"Household {i}: rule {framework.Rules[r].Key} is {expected[r]} in Ensemble and {outcomes[r]} in RulesEngine. Facts: {Agreement.Describe(framework, sheets[i])}");
                }
            }

            agreed++;
        }

        return (engine, households, reDay, agreed);
    }

    private static async Task<double> RulesEnginePassAsync(RulesEngineRules engine, RulesEngineHousehold[] households, RuleParameter day, int[] outcomes)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var household in households)
        {
            await engine.EvaluateAsync(household, day, outcomes);
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>A fact changes for one household (its cash moves) and its rules are evaluated again, one at a time.</summary>
    private static Latencies OneHousehold(AdvisoryFramework framework, double[][] sheets, DayValues day, int rules, FactCatalog catalog)
    {
        var cash = catalog.Get("cash").Ordinal;
        var outcomes = new int[rules];
        var latencies = new Latencies();
        for (var i = 0; i < 10_000; i++)
        {
            var sheet = sheets[(i * 97) % sheets.Length];
            sheet[cash] = double.IsNaN(sheet[cash]) ? 25_000 : sheet[cash] + 1_000;
            var start = Stopwatch.GetTimestamp();
            framework.Evaluate(sheet, day, outcomes);
            latencies.Add(Stopwatch.GetTimestamp() - start);
        }

        return latencies;
    }

    private static void RequireSameRules(string what, AdvisoryFramework framework, IReadOnlyList<string> keys)
    {
        if (!framework.Rules.Select(r => r.Key).SequenceEqual(keys))
        {
            throw new InvalidOperationException($"The {what} rules are not the framework's rules in its order: update bench/Ensemble.Bench/Advisory to match library/advisory/framework.rules.");
        }
    }

    private static double Median(List<double> runs) => runs.Order().ElementAt(runs.Count / 2);

    private static string Runs(List<double> runs) => string.Join(", ", runs.Select(Format.Seconds));

    private static string Rate(double perSecond) => perSecond >= 1e6
        ? (perSecond / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + "M"
        : (perSecond / 1e3).ToString("0", CultureInfo.InvariantCulture) + "k";

    private static string Times(double ratio) => ratio.ToString(ratio >= 10 ? "0" : "0.00", CultureInfo.InvariantCulture) + "×";

    private static string Micros(double ms) => (ms * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " µs";

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
