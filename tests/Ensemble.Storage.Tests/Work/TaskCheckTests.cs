using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Storage.Access;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

/// <summary>
/// A transition for a signed-in caller decides their access, and any version they read, on the task it has loaded:
/// a refusal moves nothing and writes nothing to the audit trail.
/// </summary>
public sealed class TaskCheckTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SomeoneOffTheHouseholdsTeam_IsRefused_AndNothingMoves(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var task = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var outsider = await CallerAsync(s, await AddParaplannerAsync(s, "fay"));
        var audited = await s.Db.AuditEvents.CountAsync();

        var completed = await new WorkService(s.Db, s.Clock).CompleteAsync(task.Id, new TaskCheck(outsider), null);
        var skipped = await new WorkService(s.Db, s.Clock).SkipAsync(task.Id, new TaskCheck(outsider), "not mine");
        var begun = await new WorkService(s.Db, s.Clock).BeginAsync(task.Id, new TaskCheck(outsider));

        Assert.All([completed.Error, skipped.Error, begun.Error], e => Assert.Equal(ErrorKind.Forbidden, e?.Kind));
        var after = Assert.Single(await s.TasksAsync());
        Assert.Equal((WorkTaskStatus.Open, task.Version), (after.Status, after.Version));
        Assert.Equal(audited, await s.Db.AuditEvents.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ABackupOnTheTeam_AndTheFirmWide_MayActOnTheTask(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var task = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));

        // bob backs alice up as the household's paraplanner; erin, the principal, sees the whole firm.
        var begun = await new WorkService(s.Db, s.Clock).BeginAsync(task.Id, new TaskCheck(await CallerAsync(s, s.Staff["bob"])));
        Assert.True(begun.IsSuccess, begun.Error?.Message);
        var done = await new WorkService(s.Db, s.Clock).CompleteAsync(task.Id, new TaskCheck(await CallerAsync(s, s.Staff["erin"])), null);
        Assert.True(done.IsSuccess, done.Error?.Message);

        Assert.Equal(WorkTaskStatus.Done, (await s.TasksAsync()).Single(t => t.Id == task.Id).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SomeoneJoiningTheTeamThroughAnotherProcess_MayActAtOnce_ThoughThisProcessHeldTheOldTeam(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var first = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var second = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 8));
        var fay = await CallerAsync(s, await AddParaplannerAsync(s, "fay"));

        // A refusal leaves this process holding the household's team, without fay.
        Assert.Equal(ErrorKind.Forbidden, (await new WorkService(s.Db, s.Clock).CompleteAsync(first.Id, new TaskCheck(fay), null)).Error?.Kind);

        await using (var other = s.OpenAnother())
        {
            var joined = await new Teams(other, s.Clock).SetAsync("HH-1", RoleKeys.Paraplanner, "alice", ["bob", "fay"], "admin");
            Assert.True(joined.IsSuccess, joined.Error?.Message);
        }

        var done = await new WorkService(s.Db, s.Clock).CompleteAsync(second.Id, new TaskCheck(fay), null);
        Assert.True(done.IsSuccess, done.Error?.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AVersionThatIsNoLongerCurrent_IsRefusedAsStale_AndTheCurrentOneGoesThrough(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var task = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var alice = await CallerAsync(s, s.Staff["alice"]);
        var read = task.Version;
        var begun = await new WorkService(s.Db, s.Clock).BeginAsync(task.Id, new TaskCheck(alice, new HashSet<int> { read }));
        Assert.True(begun.IsSuccess, begun.Error?.Message);

        var stale = await new WorkService(s.Db, s.Clock).CompleteAsync(task.Id, new TaskCheck(alice, new HashSet<int> { read }), null);

        Assert.Equal(ErrorKind.Stale, stale.Error?.Kind);
        var current = Assert.Single(await s.TasksAsync());
        Assert.Equal(WorkTaskStatus.InProgress, current.Status);
        var done = await new WorkService(s.Db, s.Clock).CompleteAsync(task.Id, new TaskCheck(alice, new HashSet<int> { current.Version }), null);
        Assert.True(done.IsSuccess, done.Error?.Message);
    }

    private static async Task<StaffId> AddParaplannerAsync(PracticeScenario s, string handle)
    {
        var added = await new StaffDirectory(s.Db, s.Clock).AddAsync(handle, "Fay", $"{handle}@test.example", [RoleKeys.Paraplanner], "admin");
        Assert.True(added.IsSuccess, added.Error?.Message);
        s.Db.ChangeTracker.Clear();
        return added.Value.Id;
    }

    private static async Task<Caller> CallerAsync(PracticeScenario s, StaffId staff) =>
        await new HouseholdAccess(s.Db).CallerAsync(staff) ?? throw new InvalidOperationException($"Staff {staff} is not active.");
}
