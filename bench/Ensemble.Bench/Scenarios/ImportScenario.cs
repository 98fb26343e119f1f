using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Import;
using Ensemble.Storage.Practice;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 4: importing 100,000 households from CSV with <see cref="HouseholdImporter"/> (all or nothing,
/// one transaction, one audit event per household), then importing the same file again (which must
/// change nothing). Each import runs in a child process, so the peak working set reported is the
/// import's own and not the benchmark's.
/// </summary>
internal static class ImportScenario
{
    public const string Name = "4 Household import";

    /// <summary>The hidden first argument that makes this program the measured child process.</summary>
    public const string ChildCommand = "--child-import";

    private const string DatabaseVariable = "ENSEMBLE_BENCH_CHILD_DB";

    private static readonly string[] Surnames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Castillo", "Whitfield", "Nakamura", "Kowalski", "Mensah", "Fischer"];

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var count = options.Scale.ImportHouseholds;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "import");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        await using (var db = database.Open(SystemClock.Instance))
        {
            var firm = await new FirmSetup(db).InitializeAsync("Bench Wealth Partners", "America/New_York", "bench");
            if (!firm.IsSuccess)
            {
                throw new InvalidOperationException(firm.Error!.Message);
            }
        }

        var csv = Path.Combine(options.WorkFolder, $"households-{count}.csv");
        WriteCsv(csv, count);
        Console.WriteLine($"  {Format.Count(count)} households in {Path.GetFileName(csv)} ({Format.Mb(new FileInfo(csv).Length)})");

        try
        {
            return await MeasureAsync(database, provider, csv, count);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    private static async Task<List<Figure>> MeasureAsync(BenchDatabase database, StorageProvider provider, string csv, int count)
    {
        var first = await RunChildAsync(database, csv);
        Console.WriteLine($"  import: {Format.Seconds(first.Seconds)}, {Format.Count(first.Created)} created; peak working set {Format.Mb(first.PeakWorkingSet)} (process), managed heap peak {Format.Mb(first.PeakManaged)}");
        var again = await RunChildAsync(database, csv);
        Console.WriteLine($"  same file again: {Format.Seconds(again.Seconds)}, {Format.Count(again.Unchanged)} unchanged, {again.Created + again.Updated} written; peak working set {Format.Mb(again.PeakWorkingSet)}");

        await using (var db = database.Open(SystemClock.Instance))
        {
            var stored = await db.Households.CountAsync();
            var audit = await new AuditTrail(db).VerifyAsync();
            Console.WriteLine($"  {Format.Count(stored)} households stored; audit chain {(audit.IsIntact ? "intact" : "BROKEN: " + audit.Message)} ({Format.Count(audit.EventsChecked)} events)");
            if (stored != count || first.Created != count || !audit.IsIntact || again.Created + again.Updated != 0)
            {
                throw new InvalidOperationException("The import did not store exactly the file's households once.");
            }
        }

        return
        [
            new Figure(
                $"{Name} of {Format.Count(count)} households", provider,
                $"{Format.Seconds(first.Seconds)}, peak {Format.Mb(first.PeakWorkingSet)} (re-import {Format.Seconds(again.Seconds)})",
                "≤ 10 s, peak ≤ 500 MB", first.Seconds <= 10 && first.PeakWorkingSet <= 500L * 1024 * 1024, "—"),
        ];
    }

    /// <summary>The child: imports one file and prints what it measured as one JSON line.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        if (args.Length != 1 || Environment.GetEnvironmentVariable(DatabaseVariable) is not { Length: > 0 } connection)
        {
            await Console.Error.WriteLineAsync($"usage: {ChildCommand} FILE.csv (database in {DatabaseVariable})");
            return 2;
        }

        var location = EnsembleDatabase.Describe(connection);
        await using var db = EnsembleDatabase.CreateContext(location, SystemClock.Instance);
        var watch = Stopwatch.StartNew();
        var report = await new HouseholdImporter(db, SystemClock.Instance).ImportAsync(ImportKind.Households, args[0], "bench");
        watch.Stop();
        if (!report.Succeeded)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, report.Errors.Take(5)));
            return 1;
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var result = new ChildResult(
            watch.Elapsed.TotalSeconds, report.Created, report.Updated, report.Unchanged,
            self.PeakWorkingSet64, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes, GC.GetTotalAllocatedBytes(), PeakManaged());
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private sealed record ChildResult(double Seconds, int Created, int Updated, int Unchanged, long PeakWorkingSet, long HeapAtEnd, long Allocated, long PeakManaged);

    /// <summary>The largest managed heap seen after any recent collection (the GC keeps the last few of each kind).</summary>
    private static long PeakManaged() =>
        new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background }
            .Select(k => GC.GetGCMemoryInfo(k))
            .Max(i => i.GenerationInfo.ToArray().Sum(g => g.SizeBeforeBytes));

    private static async Task<ChildResult> RunChildAsync(BenchDatabase database, string csv)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ImportScenario).Assembly.Location);
        }

        start.ArgumentList.Add(ChildCommand);
        start.ArgumentList.Add(csv);
        start.Environment[DatabaseVariable] = database.Location.ConnectionString;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the import child process.");
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The import child failed ({child.ExitCode}): {await errors}");
        }

        var line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<ChildResult>(line) ?? throw new InvalidOperationException("The import child printed no result.");
    }

    /// <summary>A realistic CRM export: every column of households.csv, amounts with and without formatting.</summary>
    private static void WriteCsv(string path, int count)
    {
        var random = new Random(42);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("household_id,name,stage,net_worth,investable_assets,household_income,initial_revenue,recurring_revenue,referrals_given,products,preferred_channels,do_not_contact,tags");
        for (var n = 1; n <= count; n++)
        {
            var wealth = Math.Round((decimal)Math.Exp(11.5 + (random.NextDouble() * 3.5)), 0);
            var stage = random.NextDouble() switch { < 0.75 => "client", < 0.93 => "prospect", _ => "former-client" };
            var surname = Surnames[n % Surnames.Length];
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HH-{n},\"The {surname} Household, {n}\",{stage},\"${wealth * 1.6m:N2}\",{wealth},{Math.Round(90m + (decimal)(random.NextDouble() * 500)) * 1000},,{Math.Round(wealth * 0.009m, 0)},{random.Next(0, 5)},,{(random.NextDouble() < 0.7 ? "email;phone" : "phone;letter")},{(random.NextDouble() < 0.03 ? "yes" : "no")},{(n % 7 == 0 ? "business-owner;golf" : "")}"));
        }
    }
}
