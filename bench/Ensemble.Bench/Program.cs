using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ensemble.Bench;
using Ensemble.Bench.Scenarios;
using Ensemble.Storage;

if (args.Length > 0 && args[0] == ImportScenario.ChildCommand)
{
    return await ImportScenario.ChildAsync(args[1..]);
}

if (args.Length > 0 && args[0] == CalendarScenario.ChildCommand)
{
    return await CalendarScenario.ChildAsync(args[1..]);
}

var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine(error);
    }

    Console.WriteLine(BenchOptions.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

Console.WriteLine($"Ensemble benchmarks — scale {options.Scale.Name}, {string.Join(" and ", options.Providers.Select(Format.Provider))}");
Console.WriteLine($"  {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}" +
    $"{(Debugger.IsAttached ? ", DEBUGGER ATTACHED" : "")}");
if (File.Exists("/proc/loadavg"))
{
    // Figures from a shared or busy machine are not comparable; say how busy it was.
    Console.WriteLine($"  load average before the run: {File.ReadAllText("/proc/loadavg").Trim()}");
}

#if DEBUG
Console.WriteLine("  WARNING: Debug build; run with -c Release for figures worth reporting.");
#endif

var total = Stopwatch.StartNew();
var figures = new List<Figure>();
var scenarios = new (string Key, string Name, Func<BenchOptions, StorageProvider, Task<List<Figure>>> Run)[]
{
    ("transitions", TransitionScenario.Name, TransitionScenario.RunAsync),
    ("bulk-start", BulkStartScenario.Name, BulkStartScenario.RunAsync),
    ("my-tasks", OpenTasksScenario.Name, OpenTasksScenario.RunAsync),
    ("import", ImportScenario.Name, ImportScenario.RunAsync),
    ("web", WebLoadScenario.Name, WebLoadScenario.RunAsync),
    ("tiers", TierScenario.Name, TierScenario.RunAsync),
    ("calendar", CalendarScenario.Name, CalendarScenario.RunAsync),
    ("capacity", CapacityScenario.Name, CapacityScenario.RunAsync),
    ("advisory-eval", AdvisoryEvaluationScenario.Name, AdvisoryEvaluationScenario.RunAsync),
    ("consolidate", ConsolidateScenario.Name, ConsolidateScenario.RunAsync),
    ("nightly-run", NightlyRunScenario.Name, NightlyRunScenario.RunAsync),
    ("campaign-queue", CampaignQueueScenario.Name, CampaignQueueScenario.RunAsync),
    ("outbox-deliver", OutboxDeliveryScenario.Name, OutboxDeliveryScenario.RunAsync),
};
foreach (var (key, name, run) in scenarios.Where(s => options.Scenarios.Contains(s.Key)))
{
    foreach (var provider in options.Providers)
    {
        Console.WriteLine();
        Console.WriteLine($"[{name}] {Format.Provider(provider)}");
        var watch = Stopwatch.StartNew();
        try
        {
            figures.AddRange(await run(options, provider));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.WriteLine($"  FAILED: {ex.GetType().Name}: {ex.Message}");
            figures.Add(new Figure(name, provider, "failed: " + ex.Message.Split('\n')[0], "", false, ""));
        }

        Console.WriteLine($"  ({Format.Seconds(watch.Elapsed.TotalSeconds)} including setup)");
    }
}

Console.WriteLine();
Console.WriteLine($"Summary (scale {options.Scale.Name}, {Environment.ProcessorCount} cores, one run; latencies are per operation, nearest-rank percentiles):");
Format.Table(figures);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Total {total.Elapsed.TotalSeconds:0} s."));
return figures.Any(f => f.Met == false && f.Measured.StartsWith("failed", StringComparison.Ordinal)) ? 1 : 0;
