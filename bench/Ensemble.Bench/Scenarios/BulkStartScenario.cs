using System.Diagnostics;
using Ensemble.Storage;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Scenario 2: a year of review meetings for the whole book — one instance per household, meeting dates
/// spread over the coming year, started by <see cref="BulkStarter"/> with a trigger key each (as the
/// periodic sweep does). Then the same call again, which must start nothing.
/// </summary>
internal static class BulkStartScenario
{
    public const string Name = "2 Bulk start";

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var count = options.Scale.BulkInstances;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "bulk");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        await Seeder.SeedAsync(database, clock, count, (BenchTemplates.ReviewKey + ".yaml", BenchTemplates.Review));

        using var probe = new CommandProbe();
        await using var db = database.Open(clock);
        var version = await db.TemplateVersions.AsNoTracking().Where(v => v.Key == BenchTemplates.ReviewKey).Select(v => v.Id).SingleAsync();
        var households = await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync();
        var firstMeeting = clock.GetCurrentInstant().InUtc().Date.PlusDays(30);
        var items = households
            .Select((h, n) => new BulkStartItem(h, new Dictionary<string, LocalDate> { ["meeting"] = firstMeeting.PlusDays(n % 365) }, $"review:{firstMeeting.Year}:{h}"))
            .ToList();

        probe.Enabled = true;
        var started = Stopwatch.StartNew();
        var report = await new BulkStarter(db, clock).StartAsync(version, items, "bench");
        started.Stop();
        probe.Enabled = false;
        if (report.Started != count || report.Errors.Count > 0)
        {
            throw new InvalidOperationException($"Expected {count} instances, started {report.Started}: {string.Join("; ", report.Errors.Take(3))}");
        }

        var perSecond = count / started.Elapsed.TotalSeconds;
        var tasks = await db.Tasks.CountAsync();
        Console.WriteLine($"  {Format.Count(count)} instances with {Format.Count(tasks)} tasks in {Format.Seconds(started.Elapsed.TotalSeconds)} → {Format.Count(perSecond)} instances/s");
        Console.WriteLine($"    EF commands (reads; rows and audit are written with raw SQL): {probe.Describe(1)}");

        var again = Stopwatch.StartNew();
        var rerun = await new BulkStarter(db, clock).StartAsync(version, items, "bench");
        again.Stop();
        Console.WriteLine($"  re-run with the same trigger keys: {rerun.Started} started, {Format.Count(rerun.AlreadyStarted)} already started, in {Format.Seconds(again.Elapsed.TotalSeconds)}");

        var verify = Stopwatch.StartNew();
        var audit = await new AuditTrail(db).VerifyAsync();
        Console.WriteLine($"  audit chain: {(audit.IsIntact ? "intact" : "BROKEN: " + audit.Message)}, {Format.Count(audit.EventsChecked)} events verified in {Format.Seconds(verify.Elapsed.TotalSeconds)}");

        return
        [
            new Figure(
                $"{Name} of {Format.Count(count)} instances", provider,
                $"{Format.Count(perSecond)} inst/s ({Format.Seconds(started.Elapsed.TotalSeconds)})",
                "≥ 20,000 inst/s", perSecond >= 20_000 && audit.IsIntact && rerun.Started == 0,
                "Zeebe ~160–250 inst/s; Workflow Core ~300–530/s"),
        ];
    }
}
