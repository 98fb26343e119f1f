using System.Diagnostics;
using System.Globalization;
using Ensemble.Storage;

namespace Ensemble.Bench;

/// <summary>Latencies of individual operations, in Stopwatch ticks.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public void AddRange(Latencies other) => _ticks.AddRange(other._ticks);

    public double MedianMs => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    public double MaxMs => _ticks.Count == 0 ? 0 : _ticks.Max() * 1000.0 / Stopwatch.Frequency;

    /// <summary>Nearest-rank percentile in milliseconds.</summary>
    public double Percentile(double p)
    {
        if (_ticks.Count == 0)
        {
            return 0;
        }

        _ticks.Sort();
        var rank = (int)Math.Ceiling(p * _ticks.Count) - 1;
        return _ticks[Math.Clamp(rank, 0, _ticks.Count - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>One line of the final summary.</summary>
internal sealed record Figure(
    string Scenario,
    StorageProvider Provider,
    string Measured,
    string Target,
    bool? Met,
    string Baseline);

internal static class Format
{
    public static string Provider(StorageProvider provider) => provider == StorageProvider.Sqlite ? "SQLite" : "PostgreSQL";

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Seconds(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    public static string Verdict(bool? met) => met switch
    {
        true => "met",
        false => "MISSED",
        null => "n/a",
    };

    /// <summary>Prints the figures as a plain table that reads well in a terminal and pastes into Markdown.</summary>
    public static void Table(IReadOnlyList<Figure> figures)
    {
        string[] header = ["Scenario", "DB", "Measured", "Target", "", "Baseline"];
        var rows = figures.Select(f => new[] { f.Scenario, Provider(f.Provider), f.Measured, f.Target, Verdict(f.Met), f.Baseline }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine("| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |");
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))) + " |");
        }
    }
}
