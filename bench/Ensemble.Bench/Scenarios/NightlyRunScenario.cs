using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Ensemble.Advisory.Alerts;
using Ensemble.Bench.Advisory;
using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Practice;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// The nightly run: 1,000,000 households' fact sheets stored (the synthetic book of the evaluation scenario,
/// written straight into the table), then the default framework run over them as the sweep runs it — first
/// run (raises the book's alerts), a second run over the unchanged book (must write nothing), and a run after
/// 1% of the sheets changed. Each is timed with the process's peak working set during that run alone. Then one
/// household re-evaluated after its sheet changed, as an import will do it.
/// </summary>
internal static class NightlyRunScenario
{
    public const string Name = "Nightly advisory run";

    private const int Seed = 20261130;
    private const int Chunk = 10_000;

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var full = options.Scale.Name == "full";
        var count = full ? 1_000_000 : 100_000;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "nightly-run");
        Console.WriteLine($"  {await database.DurabilityAsync()}");

        var watch = Stopwatch.StartNew();
        LocalDate today;
        await using (var db = database.Open(clock))
        {
            var firm = await new FirmSetup(db).InitializeAsync("Bench Wealth Partners", "America/New_York", "bench");
            today = firm.Value.Today(clock);
            await SeedAsync(db, count, today);
        }

        await database.AnalyzeAsync();
        Console.WriteLine($"  seeded {Format.Count(count)} households and their fact sheets in {Format.Seconds(watch.Elapsed.TotalSeconds)}");

        var first = await MeasureAsync(database, clock, "first run");

        // The next run is a night later in practice, when autovacuum has long analysed the alerts the first run wrote;
        // on PostgreSQL the planner would otherwise still think the table empty and scan it for every look-up.
        await database.AnalyzeAsync();
        var footprint = await FootprintAsync(database);
        var second = await MeasureAsync(database, clock, "second run, nothing changed");
        var unchanged = footprint == await FootprintAsync(database) && second.Report.Changed == 0;
        Console.WriteLine($"    wrote nothing: {(unchanged ? "yes" : "NO")} ({Format.Count(footprint.Alerts)} alerts, {Format.Count(footprint.Changes)} history rows before and after)");

        var changed = await ChangeSheetsAsync(database, clock, count, today);
        var third = await MeasureAsync(database, clock, $"after {Format.Count(changed)} sheets (1%) changed");

        var single = await SingleHouseholdAsync(database, clock, today, oneFact: false);
        var oneFact = await SingleHouseholdAsync(database, clock, today, oneFact: true);
        var scale = full ? "1,000,000" : Format.Count(count);
        return
        [
            Figure(provider, $"{Name}: first run, {scale} households", first, "(informational: raises the book's alerts)", null),
            Figure(provider, $"{Name}: nothing changed", second, "≤ 15 s, peak ≤ 1 GB, writes nothing",
                full ? second.Seconds <= 15 && second.PeakWorkingSet <= 1024L * 1024 * 1024 && unchanged : null),
            Figure(provider, $"{Name}: 1% of sheets changed", third, "≤ 15 s, peak ≤ 1 GB",
                full ? third.Seconds <= 15 && third.PeakWorkingSet <= 1024L * 1024 * 1024 : null),
            new Figure($"{Name}: one household after one fact changed", provider,
                $"median {Format.Ms(oneFact.Inside.MedianMs)}, p99 {Format.Ms(oneFact.Inside.P99Ms)} (own commit: median {Format.Ms(oneFact.Own.MedianMs)})",
                "≤ 1 ms", oneFact.Inside.MedianMs <= 1.0, "—"),
            new Figure($"{Name}: one household after a whole new sheet", provider,
                $"median {Format.Ms(single.Inside.MedianMs)}, p99 {Format.Ms(single.Inside.P99Ms)} (own commit: median {Format.Ms(single.Own.MedianMs)})",
                "≤ 1 ms", single.Inside.MedianMs <= 1.0, "—"),
        ];
    }

    private sealed record Measured(AdvisoryRunReport Report, double Seconds, long PeakWorkingSet, long Allocated, double CpuSeconds);

    private static Figure Figure(StorageProvider provider, string name, Measured m, string target, bool? met) =>
        new(name, provider,
            $"{Format.Seconds(m.Seconds)}, peak {Format.Mb(m.PeakWorkingSet)}; +{Format.Count(m.Report.Raised)} / ~{Format.Count(m.Report.VariantChanged)} / -{Format.Count(m.Report.Resolved)}",
            target, met, "—");

    private static async Task<Measured> MeasureAsync(BenchDatabase database, IClock clock, string what)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        ResetPeakWorkingSet();
        var allocated = GC.GetTotalAllocatedBytes();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        AdvisoryRunReport report;
        await using (var db = database.Open(clock))
        {
            report = await new AdvisoryRun(db, clock).RunAsync("bench");
        }

        watch.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var measured = new Measured(report, watch.Elapsed.TotalSeconds, self.PeakWorkingSet64, GC.GetTotalAllocatedBytes() - allocated, (self.TotalProcessorTime - cpu).TotalSeconds);
        Console.WriteLine($"  {what}: {Format.Seconds(measured.Seconds)} (CPU {Format.Seconds(measured.CpuSeconds)}), peak working set {Format.Mb(measured.PeakWorkingSet)}, allocated {Format.Mb(measured.Allocated)}; "
            + $"{Format.Count(report.Households)} households, {Format.Count(report.Raised)} raised, {Format.Count(report.VariantChanged)} moved, "
            + $"{Format.Count(report.Resolved)} resolved, {Format.Count(report.CouldNotEvaluate)} could not be evaluated");
        if (report.Phases is { } p)
        {
            Console.WriteLine($"    reading open alerts {Format.Seconds(p.LoadingState.TotalSeconds)}, reading and evaluating sheets {Format.Seconds(p.ReadingAndEvaluating.TotalSeconds)}, writing {Format.Seconds(p.Writing.TotalSeconds)}");
        }

        return measured;
    }

    /// <summary>Linux keeps the process's peak resident set; writing 5 to clear_refs starts it again from now, so each run reports its own peak.</summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine("  (could not reset the peak working set; figures include earlier peaks)");
        }
    }

    /// <summary>Households 1…n and a fact sheet each, written straight into the tables (setup, not measured).</summary>
    private static async Task SeedAsync(EnsembleDb db, int count, LocalDate today)
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var postgres = db.Provider == StorageProvider.PostgreSql;
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await Seeder.ExecuteAsync(connection, transaction.GetDbTransaction(), postgres
                ? """
                  INSERT INTO households (key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors)
                  SELECT 'HH-' || i, 'Household ' || i, 'Client', 'email', false, '', '[]' FROM generate_series(1, @n) AS i
                  """
                : """
                  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @n)
                  INSERT INTO households (id, key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors)
                  SELECT i, 'HH-' || i, 'Household ' || i, 'Client', 'email', 0, '', '[]' FROM n
                  """,
                ("@n", (object)count));
            await transaction.CommitAsync();
        }

        var ids = new List<long>(count);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id FROM households ORDER BY id";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var computed = SystemClock.Instance.GetCurrentInstant().ToUnixTimeMilliseconds();
        if (postgres)
        {
            await using var copy = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
                "COPY fact_sheets (household_id, sheet, computed_at, known_facts, stale_facts) FROM STDIN (FORMAT BINARY)");
            for (var start = 0; start < ids.Count; start += Chunk)
            {
                var sheets = SyntheticHouseholds.Generate(FactCatalog.Default, Math.Min(Chunk, ids.Count - start), Seed + start, today);
                for (var i = 0; i < sheets.Length; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(ids[start + i], NpgsqlDbType.Bigint);
                    await copy.WriteAsync(FactSheet.Pack(sheets[i]), NpgsqlDbType.Bytea);
                    await copy.WriteAsync(computed, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(0, NpgsqlDbType.Integer);
                    await copy.WriteAsync(0, NpgsqlDbType.Integer);
                }
            }

            await copy.CompleteAsync();
            return;
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction.GetDbTransaction();
            insert.CommandText = "INSERT INTO fact_sheets (household_id, sheet, computed_at, known_facts, stale_facts) VALUES (@h, @s, @c, 0, 0)";
            var household = Parameter(insert, "@h");
            var sheet = Parameter(insert, "@s");
            Parameter(insert, "@c").Value = computed;
            await insert.PrepareAsync();
            for (var start = 0; start < ids.Count; start += Chunk)
            {
                var sheets = SyntheticHouseholds.Generate(FactCatalog.Default, Math.Min(Chunk, ids.Count - start), Seed + start, today);
                for (var i = 0; i < sheets.Length; i++)
                {
                    household.Value = ids[start + i];
                    sheet.Value = FactSheet.Pack(sheets[i]);
                    await insert.ExecuteNonQueryAsync();
                }
            }

            await transaction.CommitAsync();
        }
    }

    /// <summary>Every hundredth household gets the sheet of another made-up household: its facts changed.</summary>
    private static async Task<int> ChangeSheetsAsync(BenchDatabase database, IClock clock, int count, LocalDate today)
    {
        await using var db = database.Open(clock);
        var ids = await db.FactSheets.AsNoTracking().OrderBy(s => s.HouseholdId).Select(s => s.HouseholdId).ToListAsync();
        var chosen = ids.Where((_, i) => i % 100 == 0).ToList();
        var sheets = SyntheticHouseholds.Generate(FactCatalog.Default, chosen.Count, Seed - 1, today);
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await using var update = db.Database.GetDbConnection().CreateCommand();
        update.Transaction = transaction.GetDbTransaction();
        update.CommandText = "UPDATE fact_sheets SET sheet = @s WHERE household_id = @h";
        var sheet = Parameter(update, "@s");
        var household = Parameter(update, "@h");
        for (var i = 0; i < chosen.Count; i++)
        {
            sheet.Value = FactSheet.Pack(sheets[i]);
            household.Value = chosen[i].Value;
            await update.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return chosen.Count;
    }

    /// <summary>
    /// One household re-evaluated after a change, in the caller's transaction (as an import does) and in its own. The
    /// change is either one sourced fact taking another household's value (what a source update usually is: it moves
    /// an alert or two at most) or a whole new sheet (every fact at once: several alerts raised, moved and resolved).
    /// </summary>
    private static async Task<(Latencies Inside, Latencies Own)> SingleHouseholdAsync(BenchDatabase database, IClock clock, LocalDate today, bool oneFact)
    {
        await using var db = database.Open(clock);
        var run = new AdvisoryRun(db, clock);
        var ids = await db.FactSheets.AsNoTracking().OrderBy(s => s.HouseholdId).Select(s => s.HouseholdId).Skip(oneFact ? 2_007 : 7).Take(1_000).ToListAsync();
        var sheets = SyntheticHouseholds.Generate(FactCatalog.Default, ids.Count * 2, Seed - 2, today);
        var facts = new[] { "cash", "income", "portfolio.equity", "life.cover", "beneficiaries.reviewed_on", "retirement.savings" }
            .Select(f => FactCatalog.Default.Get(f).Ordinal).ToArray();
        var inside = new Latencies();
        var own = new Latencies();
        int raised = 0, moved = 0, resolved = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            var useOwn = i % 2 == 1;
            var values = sheets[i];
            if (oneFact)
            {
                values = FactSheet.Empty(FactCatalog.Default);
                FactSheet.Unpack(await db.FactSheets.AsNoTracking().Where(s => s.HouseholdId == id).Select(s => s.Sheet).SingleAsync(), values);
                var fact = facts[i % facts.Length];
                values[fact] = sheets[i][fact];
            }

            var sheet = FactSheet.Pack(values);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.FactSheets.Where(s => s.HouseholdId == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Sheet, sheet));
            if (useOwn)
            {
                await transaction.CommitAsync();
            }

            var watch = Stopwatch.StartNew();
            var evaluation = await run.EvaluateHouseholdsAsync([id]);
            (useOwn ? own : inside).Add(watch.ElapsedTicks);
            if (!useOwn)
            {
                await transaction.CommitAsync();
            }

            (raised, moved, resolved) = (raised + evaluation.Raised, moved + evaluation.VariantChanged, resolved + evaluation.Resolved);
        }

        var change = oneFact ? "one fact changed" : "a whole new sheet";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  after {change}, each evaluation wrote on average {(double)raised / ids.Count:0.00} alerts raised, {(double)moved / ids.Count:0.00} moved, {(double)resolved / ids.Count:0.00} resolved"));

        Console.WriteLine($"  one household re-evaluated after {change}: in the caller's transaction median {Format.Ms(inside.MedianMs)}, p99 {Format.Ms(inside.P99Ms)}; "
            + $"in its own (with commit) median {Format.Ms(own.MedianMs)}, p99 {Format.Ms(own.P99Ms)}");
        return (inside, own);
    }

    private static async Task<(int Alerts, int Changes, long Versions)> FootprintAsync(BenchDatabase database)
    {
        await using var db = database.Open(SystemClock.Instance);
        return (await db.Alerts.CountAsync(), await db.AlertChanges.CountAsync(), await db.Alerts.SumAsync(a => (long)a.Version));
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
