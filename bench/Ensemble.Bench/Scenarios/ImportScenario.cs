using Ensemble.Storage;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 4: importing 100,000 households from CSV, measured in a child process so its peak memory is
/// the import's own. Waits for Ensemble.Storage.Import.HouseholdImporter.
/// </summary>
internal static class ImportScenario
{
    public const string Name = "4 Household import";

    /// <summary>The hidden first argument that makes this program the measured child process.</summary>
    public const string ChildCommand = "--child-import";

    public static Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        const string message = "not measured: Ensemble.Storage.Import.HouseholdImporter does not exist yet";
        Console.WriteLine($"  {message}");
        return Task.FromResult<List<Figure>>([new Figure(Name, provider, message, "≤ 10 s, peak ≤ 500 MB", null, "—")]);
    }

    public static Task<int> ChildAsync(string[] args)
    {
        Console.Error.WriteLine($"The import scenario is not available yet ({string.Join(' ', args)}).");
        return Task.FromResult(2);
    }
}
