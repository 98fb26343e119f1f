using System.Text.Json;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

public sealed class BulkStarterTests
{
    /// <summary>An entry step that applies only to large households; its dependent is released either way.</summary>
    private const string LargeCaseReview = """
        key: large-case-review
        name: Large Case Review
        category: client-management
        description: Signs off large households before filing.
        owner: wealth-partner
        steps:
          - key: sign-off
            title: Large-case sign-off
            role: wealth-partner
            when: "investable_assets >= 1000000"
            skippable: true
            due: 3 business days after start
          - key: file
            title: File the review
            role: client-service-associate
            after: [sign-off]
            due: 5 business days after start
        """;

    /// <summary>A process whose only step never applies: it finishes the moment it starts.</summary>
    private const string QuickCheck = """
        key: quick-check
        name: Quick Check
        category: client-management
        description: Checks whether anything is needed.
        owner: wealth-partner
        steps:
          - key: only
            title: Billion-dollar review
            role: wealth-partner
            when: "investable_assets >= 1000000000"
            due: 1 business day after start
        """;

    private const string AfterCheck = """
        key: after-check
        name: After Check
        category: client-management
        description: Follows every quick check.
        owner: client-service-associate
        triggers:
          - on: process-completed
            process: quick-check
        steps:
          - key: note
            title: Note the outcome
            role: client-service-associate
            due: 2 business days after start
        """;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_LandsExactlyLikeSingleStarts_DueDatesRoutingAndBackups(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 20, Templates.File(Templates.MeetingPrep));
        // Alice is away 14-18 December: the preparation due on the 14th goes to her backup, Bob.
        await MarkAwayAsync(f, "alice", new LocalDate(2026, 12, 14), new LocalDate(2026, 12, 18));
        var meetings = Enumerable.Range(0, 10).Select(n => new LocalDate(2026, 12, 3).PlusDays(n * 3)).ToList();

        var work = new WorkService(f.Db, f.Clock);
        for (var n = 0; n < 10; n++)
        {
            var single = await work.StartAsync("meeting-prep", f.Households[n], Meeting(meetings[n]), "planner", $"single:{n}");
            Assert.True(single.IsSuccess, single.Error?.Message);
        }

        var items = Enumerable.Range(0, 10).Select(n => new BulkStartItem(f.Households[10 + n], Meeting(meetings[n]), $"bulk:{n}")).ToList();
        var report = await new BulkStarter(f.Db, f.Clock).StartAsync(await f.VersionAsync("meeting-prep"), items, "planner");

        Assert.Equal((10, 0), (report.Started, report.AlreadyStarted));
        Assert.Empty(report.Errors);
        await AssertSameAsSingleStartsAsync(f, 10);
        var tasks = await f.Db.Tasks.AsNoTracking().Where(t => t.HouseholdId == f.Households[10 + 6]).ToListAsync();
        Assert.Equal(f.Staff["bob"], Assert.Single(tasks).AssigneeId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_AppliesConditionsWithEachHouseholdsFacts_LikeSingleStarts(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 8, Templates.File(LargeCaseReview));
        var work = new WorkService(f.Db, f.Clock);
        for (var n = 0; n < 4; n++)
        {
            Assert.True((await work.StartAsync("large-case-review", f.Households[n], NoDates, "planner")).IsSuccess);
        }

        var items = Enumerable.Range(4, 4).Select(n => new BulkStartItem(f.Households[n], NoDates, null)).ToList();
        var report = await new BulkStarter(f.Db, f.Clock).StartAsync(await f.VersionAsync("large-case-review"), items, "planner");

        Assert.Equal(4, report.Started);
        await AssertSameAsSingleStartsAsync(f, 4);
        var bulk = await TasksOfAsync(f, f.Households[4]);
        Assert.Equal(["sign-off", "file"], bulk.Select(t => t.StepKey));
        Assert.Equal(WorkTaskStatus.Skipped, bulk[0].Status);
        Assert.Equal(WorkTaskStatus.Open, bulk[1].Status);
        Assert.Equal(WorkTaskStatus.Open, (await TasksOfAsync(f, f.Households[5]))[0].Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_InstanceThatFinishesAsItStarts_StartsItsFollowOnLikeASingleStart(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 4, Templates.File(QuickCheck), Templates.File(AfterCheck));
        Assert.True((await new WorkService(f.Db, f.Clock).StartAsync("quick-check", f.Households[0], NoDates, "planner")).IsSuccess);

        var report = await new BulkStarter(f.Db, f.Clock).StartAsync(
            await f.VersionAsync("quick-check"), [new BulkStartItem(f.Households[1], NoDates, "q:1")], "planner");

        Assert.Equal(1, report.Started);
        await AssertSameAsSingleStartsAsync(f, 1);
        var followOns = await f.Db.Instances.AsNoTracking().Where(i => i.TemplateKey == "after-check").OrderBy(i => i.Id).ToListAsync();
        Assert.Equal([f.Households[0], f.Households[1]], followOns.Select(i => i.HouseholdId!.Value));
        var bulkCheck = await f.Db.Instances.AsNoTracking().SingleAsync(i => i.TriggerKey == "q:1");
        Assert.Equal(InstanceStatus.Completed, bulkCheck.Status);
        Assert.Equal($"completed:quick-check:{bulkCheck.Id}->after-check", followOns[1].TriggerKey);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_RerunWithTheSameTriggerKeys_StartsOnlyWhatIsMissing(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 6, Templates.File(Templates.MeetingPrep));
        var version = await f.VersionAsync("meeting-prep");
        var items = f.Households.Select(h => new BulkStartItem(h, Meeting(new LocalDate(2027, 1, 12)), $"review:2027:{h}")).ToList();

        var first = await new BulkStarter(f.Db, f.Clock).StartAsync(version, items.Take(4).Concat(items.Take(1)).ToList(), "planner");
        var second = await new BulkStarter(f.Db, f.Clock).StartAsync(version, items, "planner");
        var third = await new BulkStarter(f.Db, f.Clock).StartAsync(version, items, "planner");

        Assert.Equal((4, 1), (first.Started, first.AlreadyStarted));
        Assert.Equal((2, 4), (second.Started, second.AlreadyStarted));
        Assert.Equal((0, 6), (third.Started, third.AlreadyStarted));
        Assert.Equal(6, await f.Db.Instances.CountAsync());
        Assert.Equal(6, await f.Db.Tasks.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_AuditsOneEventPerInstance_NamingItsTasks_AndTheChainVerifies(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 3, Templates.File(Templates.MeetingPrep));
        await new WorkService(f.Db, f.Clock).StartAsync("meeting-prep", f.Households[0], Meeting(new LocalDate(2026, 12, 10)), "planner");
        var items = f.Households.Skip(1).Select(h => new BulkStartItem(h, Meeting(new LocalDate(2026, 12, 10)), $"k:{h}")).ToList();

        await new BulkStarter(f.Db, f.Clock).StartAsync(await f.VersionAsync("meeting-prep"), items, "planner");

        var events = await f.Db.AuditEvents.AsNoTracking().Where(e => e.Operation == "bulk-start").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(2, events.Count);
        var instance = await f.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync(i => i.TriggerKey == items[0].TriggerKey);
        var audit = events[0];
        Assert.Equal(("ProcessInstance", instance.Id.ToString(), "created", "planner"), (audit.EntityType, audit.EntityId, audit.Action, audit.Actor));
        Assert.Equal(f.Households[1].Value, audit.HouseholdId);
        using var after = JsonDocument.Parse(audit.After!);
        Assert.Equal("meeting-prep", after.RootElement.GetProperty("template").GetString());
        Assert.Equal(items[0].TriggerKey, after.RootElement.GetProperty("triggerKey").GetString());
        var task = Assert.Single(after.RootElement.GetProperty("tasks").EnumerateArray());
        Assert.Equal(instance.Tasks[0].Id.Value, task.GetProperty("id").GetInt64());
        Assert.Equal("prepare", task.GetProperty("step").GetString());
        Assert.Equal(f.Staff["alice"].Value, task.GetProperty("assignee").GetInt64());
        Assert.Equal("2026-12-03", task.GetProperty("due").GetString());

        var verification = await new AuditTrail(f.Db).VerifyAsync();
        Assert.True(verification.IsIntact, verification.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_UnknownHouseholdsAndMissingDates_AreReported_AndTheRestStart(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 2, Templates.File(Templates.MeetingPrep));
        var items = new List<BulkStartItem>
        {
            new(f.Households[0], Meeting(new LocalDate(2026, 12, 10)), "ok"),
            new(new HouseholdId(999_999), Meeting(new LocalDate(2026, 12, 10)), "ghost"),
            new(f.Households[1], NoDates, "undated"),
        };

        var report = await new BulkStarter(f.Db, f.Clock).StartAsync(await f.VersionAsync("meeting-prep"), items, "planner");

        Assert.Equal(1, report.Started);
        Assert.Equal(2, report.Errors.Count);
        Assert.Contains("999999 (ghost)", report.Errors[0], StringComparison.Ordinal);
        Assert.Contains("meeting", report.Errors[1], StringComparison.Ordinal);
        Assert.Equal("ok", (await f.Db.Instances.AsNoTracking().SingleAsync()).TriggerKey);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_NeverReusesTheIdsOfDeletedInstancesAndTasks(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 2, Templates.File(Templates.MeetingPrep));
        var version = await f.VersionAsync("meeting-prep");
        await new BulkStarter(f.Db, f.Clock).StartAsync(version, [new BulkStartItem(f.Households[0], Meeting(new LocalDate(2026, 12, 10)), "first")], "planner");
        var first = await f.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync();
        await f.Db.Database.ExecuteSqlRawAsync("DELETE FROM work_tasks");
        await f.Db.Database.ExecuteSqlRawAsync("DELETE FROM process_instances");

        await new BulkStarter(f.Db, f.Clock).StartAsync(version, [new BulkStartItem(f.Households[1], Meeting(new LocalDate(2026, 12, 10)), "second")], "planner");

        var second = await f.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync();
        Assert.True(second.Id.Value > first.Id.Value);
        Assert.True(second.Tasks[0].Id.Value > first.Tasks[0].Id.Value);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_UnknownVersion_IsReported(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 1);

        var report = await new BulkStarter(f.Db, f.Clock).StartAsync(new TemplateVersionId(12345), [new BulkStartItem(f.Households[0], NoDates, null)], "planner");

        Assert.Equal(0, report.Started);
        Assert.Contains("12345", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_ManyChunks_WritesEveryInstanceWithItsOwnTasks(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 20, Templates.File(Templates.MeetingPrep));
        var count = (BulkStarter.ChunkSize * 2) + 123;
        var start = new LocalDate(2027, 1, 1);
        var items = Enumerable.Range(0, count)
            .Select(n => new BulkStartItem(f.Households[n % 20], Meeting(start.PlusDays(n % 365)), $"m:{n}"))
            .ToList();

        var report = await new BulkStarter(f.Db, f.Clock).StartAsync(await f.VersionAsync("meeting-prep"), items, "planner");

        Assert.Equal((count, 0), (report.Started, report.AlreadyStarted));
        var rows = await f.Db.Tasks.AsNoTracking()
            .Join(f.Db.Instances.AsNoTracking(), t => t.InstanceId, i => i.Id, (t, i) => new { i.TriggerKey, i.HouseholdId, Task = t.HouseholdId, i.Anchors, t.DueOn })
            .ToListAsync();
        Assert.Equal(count, rows.Count);
        Assert.Equal(count, rows.Select(r => r.TriggerKey).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(r.HouseholdId, r.Task));
        Assert.All(rows, r => Assert.True(r.DueOn <= r.Anchors["meeting"].PlusDays(-7)));
        Assert.True((await new AuditTrail(f.Db).VerifyAsync()).IsIntact);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkStart_TwoProcessesAtOnceWithOverlappingKeys_StartEachOccurrenceOnce(StorageProvider provider)
    {
        await using var f = await FirmBuilder.CreateAsync(provider, 50, Templates.File(Templates.MeetingPrep));
        var version = await f.VersionAsync("meeting-prep");
        var items = f.Households.Select(h => new BulkStartItem(h, Meeting(new LocalDate(2027, 2, 9)), $"review:{h}")).ToList();

        await using var one = f.OpenAnother();
        await using var two = f.OpenAnother();
        var reports = await Task.WhenAll(
            Task.Run(() => new BulkStarter(one, f.Clock).StartAsync(version, items.Take(40).ToList(), "sweep-a")),
            Task.Run(() => new BulkStarter(two, f.Clock).StartAsync(version, items.Skip(10).ToList(), "sweep-b")));

        Assert.Equal(50, reports.Sum(r => r.Started));
        Assert.Equal(30, reports.Sum(r => r.AlreadyStarted));
        Assert.Equal(50, await f.Db.Instances.CountAsync());
        Assert.True((await new AuditTrail(f.Db).VerifyAsync()).IsIntact);
    }

    private static readonly IReadOnlyDictionary<string, LocalDate> NoDates = new Dictionary<string, LocalDate>();

    private static Dictionary<string, LocalDate> Meeting(LocalDate date) => new() { ["meeting"] = date };

    private static async Task MarkAwayAsync(FirmBuilder f, string handle, LocalDate from, LocalDate to)
    {
        var person = await f.Db.Staff.SingleAsync(s => s.Handle == handle);
        Assert.True(person.AddAbsence(from, to, "Vacation").IsSuccess);
        await f.Db.SaveChangesAsync();
        f.Db.ChangeTracker.Clear();
    }

    private static Task<List<WorkTask>> TasksOfAsync(FirmBuilder f, HouseholdId household) =>
        f.Db.Tasks.AsNoTracking().Where(t => t.HouseholdId == household).OrderBy(t => t.Id).ToListAsync();

    /// <summary>Households [0, n) were started one by one, [n, 2n) in bulk with the same inputs: every stored field must agree.</summary>
    private static async Task AssertSameAsSingleStartsAsync(FirmBuilder f, int n)
    {
        var instances = await f.Db.Instances.AsNoTracking().Include(i => i.Tasks).ToListAsync();
        for (var k = 0; k < n; k++)
        {
            var single = instances.Where(i => i.HouseholdId == f.Households[k]).OrderBy(i => i.Id.Value).First();
            var bulk = instances.Where(i => i.HouseholdId == f.Households[n + k]).OrderBy(i => i.Id.Value).First();
            Assert.Equal(
                (single.TemplateVersionId, single.TemplateKey, single.TemplateName, single.Status, single.StartedBy, single.StartedAt, single.StartedOn, single.EndedAt, single.Version),
                (bulk.TemplateVersionId, bulk.TemplateKey, bulk.TemplateName, bulk.Status, bulk.StartedBy, bulk.StartedAt, bulk.StartedOn, bulk.EndedAt, bulk.Version));
            Assert.Equal(single.Anchors.OrderBy(a => a.Key), bulk.Anchors.OrderBy(a => a.Key));
            Assert.Equal(single.Tasks.Count, bulk.Tasks.Count);
            foreach (var (s, b) in single.Tasks.OrderBy(t => t.Id.Value).Zip(bulk.Tasks.OrderBy(t => t.Id.Value)))
            {
                Assert.Equal(f.Households[n + k], b.HouseholdId);
                Assert.Equal(
                    (s.StepKey, s.Title, s.RoleKey, s.AssigneeId, s.RoutingNote, s.EstimatedMinutes, s.Status, s.DueOn, s.OverdueSince),
                    (b.StepKey, b.Title, b.RoleKey, b.AssigneeId, b.RoutingNote, b.EstimatedMinutes, b.Status, b.DueOn, b.OverdueSince));
                Assert.Equal(
                    (s.ActivatedAt, s.StartedAt, s.ClosedAt, s.ClosedBy, s.Note, s.Version),
                    (b.ActivatedAt, b.StartedAt, b.ClosedAt, b.ClosedBy, b.Note, b.Version));
            }
        }
    }
}
