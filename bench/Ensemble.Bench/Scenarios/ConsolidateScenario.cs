using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ensemble.Storage;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Consolidation;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Consolidation: 1,000,000 source values with lineage from two sources — a CRM export and a planning-tool
/// export, CSV, 100,000 households × 5 facts each, 3 of the 5 facts in both (about 3% of them disagreeing) —
/// imported through <see cref="SourceIntake"/> as a firm would (each file checked whole, then applied in one
/// transaction, source values audited per household), consolidated under the default precedence, discrepancies
/// recorded, and every household's fact sheet rebuilt. Then the same file again (a no-op) and a small
/// follow-up file (incremental), and a rebuild of every sheet as the nightly run would.
/// </summary>
internal static class ConsolidateScenario
{
    public const string Name = "Consolidation";

    private const int FactsPerSource = 5;

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var households = options.Scale.Name == "full" ? 100_000 : 10_000;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "consolidate");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        await Seeder.SeedAsync(database, clock, households);
        await AddMembersAsync(database);
        await using (var setup = database.Open(clock))
        {
            var registry = new SourceRegistry(setup, clock);
            await registry.AddAsync("crm", "CRM", "bench");
            await registry.AddAsync("planning", "Planning tool", "bench");
        }

        var crm = Path.Combine(options.WorkFolder, $"crm-{households}.csv");
        var planning = Path.Combine(options.WorkFolder, $"planning-{households}.csv");
        var followUp = Path.Combine(options.WorkFolder, $"planning-update-{households}.csv");
        WriteFiles(crm, planning, followUp, households);
        Console.WriteLine($"  {Format.Count(households)} households; {Path.GetFileName(crm)} {Format.Mb(new FileInfo(crm).Length)}, {Path.GetFileName(planning)} {Format.Mb(new FileInfo(planning).Length)}: "
            + $"{Format.Count(2L * households * FactsPerSource)} values");
        try
        {
            return await MeasureAsync(database, provider, households, crm, planning, followUp);
        }
        finally
        {
            File.Delete(crm);
            File.Delete(planning);
            File.Delete(followUp);
        }
    }

    private static async Task<List<Figure>> MeasureAsync(BenchDatabase database, StorageProvider provider, int households, string crm, string planning, string followUp)
    {
        var clock = SystemClock.Instance;
        await using var db = database.Open(clock);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var intake = new SourceIntake(db, clock);
        GC.Collect();
        ResetPeak();
        var watch = Stopwatch.StartNew();
        var first = await ImportAsync(intake, "crm", crm);
        var afterFirst = watch.Elapsed.TotalSeconds;
        var second = await ImportAsync(intake, "planning", planning);
        var seconds = watch.Elapsed.TotalSeconds;
        var peak = PeakResident();
        Console.WriteLine($"  crm: {Format.Seconds(afterFirst)} ({Format.Count(first.Counts.ValuesCreated)} values, {Format.Count(first.Counts.SheetsWritten)} sheets)");
        Console.WriteLine($"  planning: {Format.Seconds(seconds - afterFirst)} ({Format.Count(second.Counts.ValuesCreated)} values, {Format.Count(second.Counts.ConsolidatedChanged)} consolidated values changed, "
            + $"{Format.Count(second.Counts.DiscrepanciesOpened)} discrepancies opened)");
        var values = first.Counts.ValuesCreated + second.Counts.ValuesCreated;
        Console.WriteLine($"  both: {Format.Seconds(seconds)} for {Format.Count(values)} values = {Format.Count(values / seconds)} values/s; peak resident {(peak is { } p ? Format.Mb(p) : "n/a")}");

        watch.Restart();
        var again = await ImportAsync(intake, "planning", planning, allowRepeat: true);
        var repeat = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var update = await ImportAsync(intake, "planning", followUp);
        var incremental = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  same file again: {Format.Seconds(repeat)} ({(again.AlreadyImported ? "recognised, nothing changed" : "APPLIED AGAIN")}); "
            + $"follow-up of {Format.Count(update.Values)} values: {Format.Seconds(incremental)} ({Format.Count(update.Counts.ValuesChanged)} changed, {Format.Count(update.Counts.ValuesReverified)} re-verified, "
            + $"{Format.Count(update.Counts.Households)} households consolidated)");

        watch.Restart();
        var sheets = await new SourceRegistry(db, clock).RebuildSheetsAsync();
        var rebuild = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  every fact sheet rebuilt: {Format.Count(sheets)} in {Format.Seconds(rebuild)}");

        var stored = await db.SourceValues.CountAsync();
        var consolidated = await db.ConsolidatedValues.CountAsync();
        var open = await db.Discrepancies.CountAsync(d => d.ResolvedAt == null);
        var audit = await new AuditTrail(db).VerifyAsync();
        Console.WriteLine($"  stored: {Format.Count(stored)} source values, {Format.Count(consolidated)} consolidated, {Format.Count(open)} open discrepancies; "
            + $"audit chain {(audit.IsIntact ? "intact" : "BROKEN: " + audit.Message)} ({Format.Count(audit.EventsChecked)} events)");
        if (stored != 2 * households * FactsPerSource || !again.AlreadyImported || !audit.IsIntact || open == 0)
        {
            throw new InvalidOperationException("The consolidation did not store what the files hold exactly once.");
        }

        var full = households == 100_000;
        return
        [
            new Figure($"{Name}: {Format.Count(values)} values from 2 sources, with lineage", provider,
                $"{Format.Seconds(seconds)}, peak {(peak is { } pk ? Format.Mb(pk) : "n/a")}", "≤ 60 s for 1,000,000", full ? seconds <= 60 : null, "—"),
            new Figure($"{Name}: follow-up file of {Format.Count(update.Values)} values", provider, Format.Seconds(incremental), "(informational)", null, "—"),
            new Figure($"{Name}: rebuild {Format.Count(sheets)} fact sheets", provider, Format.Seconds(rebuild), "(informational)", null, "—"),
        ];
    }

    private static async Task<SourceImportReport> ImportAsync(SourceIntake intake, string source, string path, bool allowRepeat = false)
    {
        var result = await intake.ImportFileAsync(source, path, "bench");
        if (!result.IsSuccess || !result.Value.Succeeded || (result.Value.AlreadyImported && !allowRepeat))
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)}: {result.Error?.Message ?? string.Join("; ", result.Value.Errors.Take(5))}");
        }

        return result.Value;
    }

    // A primary member with a birth date for every household, so the fact sheets' derived facts are worked out as in a real book.
    private static async Task AddMembersAsync(BenchDatabase database)
    {
        await using var db = database.Open(SystemClock.Instance);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var birth = database.Provider == StorageProvider.PostgreSql
            ? "DATE '1940-01-01' + CAST(id % 20000 AS INTEGER)"
            : "date('1940-01-01', '+' || (id % 20000) || ' days')";
        var sql = "INSERT INTO members (household_id, external_id, first_name, last_name, birth_date, relationship) SELECT id, 'P1', 'Pat', 'Client ' || id, " + birth + ", 'Primary' FROM households";
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>
    /// The CRM sends birth date, income, net worth, will and home value; the planning tool birth date, income and
    /// net worth too, and life cover and retirement savings. About 3% of the shared values disagree.
    /// </summary>
    private static void WriteFiles(string crmPath, string planningPath, string followUpPath, int households)
    {
        var random = new Random(5);
        using var crm = new StreamWriter(crmPath, false, new UTF8Encoding(false));
        using var planning = new StreamWriter(planningPath, false, new UTF8Encoding(false));
        using var followUp = new StreamWriter(followUpPath, false, new UTF8Encoding(false));
        crm.WriteLine("household,client.birth_date,income,net_worth,will.exists,home.value,verified_at");
        planning.WriteLine("household,client.birth_date,income,net_worth,life.cover,retirement.savings,verified_at");
        followUp.WriteLine("household,income,retirement.savings");
        var start = new LocalDate(1940, 1, 1);
        for (var n = 1; n <= households; n++)
        {
            var birth = start.PlusDays(n % 20_000).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
            var income = 60_000 + random.Next(0, 500) * 1_000;
            var worth = income * (3 + random.Next(0, 30));
            var differs = random.NextDouble() < 0.03;
            crm.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HH-{n},{birth},\"{income:N0}\",{worth},{(random.NextDouble() < 0.8 ? "yes" : "no")},{250_000 + random.Next(0, 2_000) * 1_000},2026-0{1 + random.Next(0, 9)}-15"));
            planning.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HH-{n},{birth},{(differs ? income + 5_000 : income)}.00,{worth},{income * random.Next(0, 15)},{worth / 3},2026-10-{1 + random.Next(0, 28):00}"));
            if (n % 50 == 0)
            {
                followUp.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HH-{n},{income + 2_000},{worth / 3}"));
            }
        }
    }

    // Linux keeps the process's peak resident size (VmHWM); writing 5 to clear_refs starts it afresh, so the peak is the measured part's alone.
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the peak then covers the whole process.
        }
    }

    private static long? PeakResident()
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb * 1024;
            }
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.PeakWorkingSet64;
    }
}
