using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Ensemble.Storage.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 7: laying out and starting a year's service calendar for the whole book with
/// <see cref="ServiceCalendar.LayOutAsync(int, IReadOnlyCollection{HouseholdId}?, string, CancellationToken)"/>:
/// every tiered client's meetings placed within 300 wealth partners' daily limits and around their
/// absences, review months given to households without one, meetings stored, and each meeting's
/// process started with its tasks dated around it. Then the same call again, which must add nothing.
/// Each run is a child process, so the peak working set reported is the lay-out's own.
/// </summary>
internal static class CalendarScenario
{
    public const string Name = "7 Service calendar";

    /// <summary>The hidden first argument that makes this program the measured child process.</summary>
    public const string ChildCommand = "--child-calendar";

    private const string DatabaseVariable = "ENSEMBLE_BENCH_CHILD_DB";

    private const int WealthPartners = 300;

    /// <summary>Tier by household: of every ten, two A, three B, four C and one below the service model.</summary>
    private const string TierCase = "CASE ((id / 300) % 10) WHEN 0 THEN 'Unsegmented' WHEN 1 THEN 'A' WHEN 2 THEN 'A' WHEN 3 THEN 'B' WHEN 4 THEN 'B' WHEN 5 THEN 'B' ELSE 'C' END";

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var count = options.Scale.BulkInstances;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "calendar");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        var year = await SeedAsync(database, clock, count);
        await database.AnalyzeAsync();
        Console.WriteLine($"  {Format.Count(count)} client households (2 in 10 tier A, 3 B, 4 C, 1 unsegmented; none with a review month), {WealthPartners} wealth partners, laying out {year}");

        var first = await RunChildAsync(database, year);
        Console.WriteLine($"  lay-out: {Format.Seconds(first.Seconds)}; {Format.Count(first.Placed)} meetings placed, {Format.Count(first.Started)} processes started, "
            + $"{Format.Count(first.ReviewMonths)} review months given, {Format.Count(first.Unplaced)} not placed; peak working set {Format.Mb(first.PeakWorkingSet)} (process), managed heap peak {Format.Mb(first.PeakManaged)}");
        foreach (var reason in first.Reasons)
        {
            Console.WriteLine($"    not placed: {reason}");
        }

        var again = await RunChildAsync(database, year);
        Console.WriteLine($"  same year again: {Format.Seconds(again.Seconds)}, {Format.Count(again.Placed)} placed, {Format.Count(again.AlreadyThere)} already there, {Format.Count(again.Started)} started; peak working set {Format.Mb(again.PeakWorkingSet)}");

        await using (var db = database.Open(clock))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            var touchpoints = await db.Touchpoints.CountAsync();
            var unattached = await db.Touchpoints.CountAsync(t => t.InstanceId == null);
            var instances = await db.Instances.CountAsync();
            var tasks = await db.Tasks.CountAsync();
            var busiest = int.Parse(await ScalarAsync(db, "SELECT MAX(c) FROM (SELECT advisor_id, substr(starts_at, 1, 10) AS d, COUNT(*) AS c FROM touchpoints GROUP BY advisor_id, substr(starts_at, 1, 10)) AS days"), System.Globalization.CultureInfo.InvariantCulture);
            var audit = await new AuditTrail(db).VerifyAsync();
            Console.WriteLine($"  stored: {Format.Count(touchpoints)} meetings ({Format.Count(unattached)} without a process), {Format.Count(instances)} processes, {Format.Count(tasks)} tasks; "
                + $"busiest advisor day {busiest} meetings; audit chain {(audit.IsIntact ? "intact" : "BROKEN: " + audit.Message)} ({Format.Count(audit.EventsChecked)} events)");
            if (touchpoints != first.Placed || instances != first.Started || unattached != 0 || busiest > 4 || !audit.IsIntact || again.Placed + again.Started != 0)
            {
                throw new InvalidOperationException("The calendar was not laid out exactly once within the limits.");
            }
        }

        return
        [
            new Figure(
                $"{Name}: lay out and start {Format.Count(count)} households", provider,
                $"{Format.Seconds(first.Seconds)}, peak {Format.Mb(first.PeakWorkingSet)} ({Format.Count(first.Placed)} meetings; re-run {Format.Seconds(again.Seconds)})",
                "≤ 60 s, peak ≤ 1 GB", first.Seconds <= 60 && first.PeakWorkingSet <= 1024L * 1024 * 1024, "—"),
        ];
    }

    /// <summary>The child: lays out one year and prints what it measured as one JSON line.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        if (args.Length != 1 || !int.TryParse(args[0], out var year) || Environment.GetEnvironmentVariable(DatabaseVariable) is not { Length: > 0 } connection)
        {
            await Console.Error.WriteLineAsync($"usage: {ChildCommand} YEAR (database in {DatabaseVariable})");
            return 2;
        }

        await using var db = EnsembleDatabase.CreateContext(EnsembleDatabase.Describe(connection), SystemClock.Instance);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var watch = Stopwatch.StartNew();
        var laid = await new ServiceCalendar(db, SystemClock.Instance).LayOutAsync(year, (IReadOnlyCollection<HouseholdId>?)null, "bench");
        watch.Stop();
        if (!laid.IsSuccess)
        {
            await Console.Error.WriteLineAsync(laid.Error!.Message);
            return 1;
        }

        var report = laid.Value;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var result = new ChildResult(
            watch.Elapsed.TotalSeconds, report.Placed, report.AlreadyThere, report.ProcessesStarted, report.ReviewMonthsAssigned, report.Unplaced.Count,
            report.Unplaced.GroupBy(u => u.Reason).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}").ToList(),
            self.PeakWorkingSet64, PeakManaged());
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private sealed record ChildResult(
        double Seconds, int Placed, int AlreadyThere, int Started, int ReviewMonths, int Unplaced, List<string> Reasons, long PeakWorkingSet, long PeakManaged);

    private static long PeakManaged() =>
        new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background }
            .Select(k => GC.GetGCMemoryInfo(k))
            .Max(i => i.GenerationInfo.ToArray().Sum(g => g.SizeBeforeBytes));

    private static async Task<ChildResult> RunChildAsync(BenchDatabase database, int year)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CalendarScenario).Assembly.Location);
        }

        start.ArgumentList.Add(ChildCommand);
        start.ArgumentList.Add(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment[DatabaseVariable] = database.Location.ConnectionString;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the calendar child process.");
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The calendar child failed ({child.ExitCode}): {await errors}");
        }

        var line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<ChildResult>(line) ?? throw new InvalidOperationException("The calendar child printed no result.");
    }

    /// <summary>
    /// The firm: staff through the normal services (300 wealth partners, a tenth of them away for two weeks in
    /// the summer), the built-in meeting templates, and households, teams and stored tiers straight into the
    /// tables (setup is not what is measured). Returns the year to lay out: next year, so every month is ahead.
    /// </summary>
    private static async Task<int> SeedAsync(BenchDatabase database, IClock clock, int households)
    {
        await using var db = database.Open(clock);
        var firm = await new FirmSetup(db).InitializeAsync("Bench Wealth Partners", "America/New_York", "bench");
        if (!firm.IsSuccess)
        {
            throw new InvalidOperationException(firm.Error!.Message);
        }

        var year = firm.Value.Today(clock).Year + 1;
        db.Actor = "bench";
        db.Operation = "bench-setup";
        var teams = new (string Role, int People)[]
        {
            (RoleKeys.WealthPartner, WealthPartners), (RoleKeys.FinancialAdvisor, 30), (RoleKeys.Paraplanner, 60), (RoleKeys.ClientCareCoordinator, 40),
        };
        var byRole = new Dictionary<string, List<Staff>>(StringComparer.Ordinal);
        foreach (var (role, people) in teams)
        {
            byRole[role] = Enumerable.Range(1, people).Select(n => new Staff($"{role}-{n}", $"{role} {n}", $"{role}-{n}@bench.example", [role])).ToList();
        }

        foreach (var (partner, n) in byRole[RoleKeys.WealthPartner].Select((p, n) => (p, n)).Where(x => x.n % 10 == 0))
        {
            var from = new LocalDate(year, 7, 1).PlusDays(n % 30);
            partner.AddAbsence(from, from.PlusDays(13), "Summer holiday");
        }

        db.Staff.AddRange(byRole.Values.SelectMany(s => s));
        await db.SaveChangesAsync();
        var imported = await new TemplateLibrary(db, clock).ImportTextsAsync(
            BuiltInLibrary.Texts().Where(t => t.Name.EndsWith("/review-meeting.yaml", StringComparison.Ordinal)
                || t.Name.EndsWith("/topic-meeting.yaml", StringComparison.Ordinal)
                || t.Name.EndsWith("/action-item-review.yaml", StringComparison.Ordinal)).ToList(),
            "bench");
        if (!imported.IsSuccess)
        {
            throw new InvalidOperationException(imported.Error!.Message);
        }

        var postgres = db.Provider == StorageProvider.PostgreSql;
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();
        await Seeder.ExecuteAsync(connection, tx, postgres
            ? """
              INSERT INTO households (id, key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors)
              OVERRIDING SYSTEM VALUE
              SELECT i, 'HH-' || i, 'Household ' || i, 'Client', 'email', false, '', '[]' FROM generate_series(1, @n) AS i
              """
            : """
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @n)
              INSERT INTO households (id, key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors)
              SELECT i, 'HH-' || i, 'Household ' || i, 'Client', 'email', 0, '', '[]' FROM n
              """,
            ("@n", (object)households));
        if (postgres)
        {
            await Seeder.ExecuteAsync(connection, tx, "SELECT setval(pg_get_serial_sequence('households', 'id'), @n)", ("@n", (object)(long)households));
        }

        foreach (var (role, _) in teams)
        {
            var people = byRole[role].Select(s => s.Id.Value).ToArray();
            if (people.Where((id, i) => id != people[0] + i).Any())
            {
                throw new InvalidOperationException("Staff ids of one role are expected to be consecutive.");
            }

            await Seeder.ExecuteAsync(connection, tx,
                "INSERT INTO team_assignments (household_id, role_key, staff_id, backups) SELECT id, @role, @first + (id % @people), CAST(@first + ((id + 1) % @people) AS TEXT) FROM households",
                ("@role", (object)role), ("@first", people[0]), ("@people", (long)people.Length));
        }

        await Seeder.ExecuteAsync(connection, tx,
            $"INSERT INTO household_tiers (household_id, computed, missing, decided_on) SELECT id, {TierCase}, '', @today FROM households",
            ("@today", (object)(postgres ? firm.Value.Today(clock).ToDateOnly() : firm.Value.Today(clock).ToString("uuuu-MM-dd", null))));
        await transaction.CommitAsync();
        return year;
    }

    private static async Task<string> ScalarAsync(EnsembleDb db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
