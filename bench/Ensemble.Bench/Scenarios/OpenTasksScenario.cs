using System.Diagnostics;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 3: "my open tasks", first page of 50, for one person, with a million open tasks in the
/// database (full scale) spread over the firm's staff and 100,000 households. Each query is a web
/// request's worth of work: a new context, <see cref="TaskViews.ForStaffAsync"/>, results materialised.
/// </summary>
internal static class OpenTasksScenario
{
    public const string Name = "3 My open tasks";

    private const int Page = 50;

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var scale = options.Scale;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "tasks");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        var firm = await Seeder.SeedAsync(database, clock, scale.OpenTaskHouseholds, (BenchTemplates.ChainKey + ".yaml", BenchTemplates.Chain(Scale.ChainLength)));

        var load = Stopwatch.StartNew();
        var staff = firm.AllStaff.ToArray();
        await PopulateAsync(database, clock, staff);
        await database.AnalyzeAsync();
        load.Stop();

        var me = staff[0];
        long mine;
        long total;
        await using (var db = database.Open(clock))
        {
            total = await db.Tasks.LongCountAsync(t => t.Status == WorkTaskStatus.Open);
            mine = await db.Tasks.LongCountAsync(t => t.Status == WorkTaskStatus.Open && t.AssigneeId == me);
        }

        Console.WriteLine($"  {Format.Count(total)} open tasks over {staff.Length} staff and {Format.Count(scale.OpenTaskHouseholds)} households loaded in {Format.Seconds(load.Elapsed.TotalSeconds)}; {Format.Count(mine)} are this person's");

        for (var i = 0; i < 100; i++)
        {
            await QueryAsync(database, clock, me);
        }

        var latencies = new Latencies();
        var all = Stopwatch.StartNew();
        for (var i = 0; i < scale.TaskQueries; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var page = await QueryAsync(database, clock, me);
            latencies.Add(Stopwatch.GetTimestamp() - before);
            if (page.Count != Page)
            {
                throw new InvalidOperationException($"Expected a full page of {Page} tasks, got {page.Count}.");
            }
        }

        all.Stop();
        Console.WriteLine($"  {Format.Count(latencies.Count)} queries: median {Format.Ms(latencies.MedianMs)}, p99 {Format.Ms(latencies.P99Ms)}, max {Format.Ms(latencies.MaxMs)}; {Format.Count(latencies.Count / all.Elapsed.TotalSeconds)} queries/s on one connection");
        return
        [
            new Figure(
                $"{Name} (50 of {Format.Count(mine)}; {Format.Count(total)} open in DB)", provider,
                $"median {Format.Ms(latencies.MedianMs)}, p99 {Format.Ms(latencies.P99Ms)} over {Format.Count(latencies.Count)} queries",
                "p99 ≤ 5 ms", latencies.P99Ms <= 5, "—"),
        ];
    }

    private static async Task<List<TaskView>> QueryAsync(BenchDatabase database, IClock clock, StaffId me)
    {
        await using var db = database.Open(clock);
        return await new TaskViews(db).ForStaffAsync(me, Page);
    }

    /// <summary>
    /// One running instance per household and ten open tasks in each, assigned round-robin over all staff and
    /// due over the coming year — written with set-based SQL, as seeding is not what is measured.
    /// </summary>
    private static async Task PopulateAsync(BenchDatabase database, IClock clock, StaffId[] staff)
    {
        await using var db = database.Open(clock);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var version = await db.TemplateVersions.AsNoTracking().Where(v => v.Key == BenchTemplates.ChainKey).Select(v => v.Id.Value).SingleAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var now = clock.GetCurrentInstant();
        var today = now.InUtc().Date.ToDateOnly();
        var at = now.ToDateTimeUtc();
        var postgres = database.Provider == StorageProvider.PostgreSql;
        if (staff.Where((id, i) => id.Value != staff[0].Value + i).Any())
        {
            throw new InvalidOperationException("Staff ids are expected to be consecutive.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var tx = transaction.GetDbTransaction();
        await Seeder.ExecuteAsync(connection, tx, $"""
            INSERT INTO process_instances (id, template_version_id, template_key, template_name, household_id, anchors, status, started_by, started_at, started_on, version)
            SELECT id, @version, '{BenchTemplates.ChainKey}', 'Service Request Chain', id, '{"{}"}', 'Running', 'bench', @at, @on, 0 FROM households
            """,
            ("@version", (object)version), ("@at", at), ("@on", today));
        var steps = postgres
            ? $"generate_series(0, {Scale.TasksPerHousehold - 1}) AS k(j)"
            : $"(WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < {Scale.TasksPerHousehold - 1}) SELECT j FROM k) AS k";
        var due = postgres
            ? "CAST(@on AS date) + CAST((i.id * 7 + k.j * 31) % 365 AS integer)"
            : "date(@on, '+' || ((i.id * 7 + k.j * 31) % 365) || ' days')";
        await Seeder.ExecuteAsync(connection, tx, $"""
            INSERT INTO work_tasks (instance_id, household_id, step_key, title, role_key, assignee_id, routing_note, estimated_minutes, status, due_on, activated_at, version)
            SELECT i.id, i.household_id, 'step-' || (k.j + 1), 'Step ' || (k.j + 1), 'paraplanner',
                   @first + ((i.id * {Scale.TasksPerHousehold} + k.j) % @staff), 'Assigned to the household''s holder of the role.', 15, 'Open',
                   {due}, @at, 1
            FROM process_instances i CROSS JOIN {steps}
            ORDER BY i.id, k.j
            """,
            ("@first", (object)staff[0].Value), ("@staff", (long)staff.Length), ("@at", at), ("@on", today));
        await transaction.CommitAsync();

        if (postgres)
        {
            // The instances were given explicit ids; move the identity on past them.
            await Seeder.ExecuteAsync(connection, null, "SELECT setval(pg_get_serial_sequence('process_instances', 'id'), (SELECT MAX(id) FROM process_instances))");
        }
    }
}
