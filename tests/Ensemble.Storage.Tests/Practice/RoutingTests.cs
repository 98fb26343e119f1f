using Ensemble.Storage.Practice;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using NodaTime;

namespace Ensemble.Storage.Tests.Practice;

public sealed class RoutingTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WorkDueWhileTheHolderIsAway_GoesToTheFirstAvailableBackup(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        await new StaffDirectory(s.Db, s.Clock).MarkAwayAsync("alice", new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 4), "Vacation", "alice");

        await new WorkService(s.Db, s.Clock).StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 7) }, "dan");

        var task = Assert.Single(await s.TasksAsync());
        Assert.Equal(s.Staff["bob"], task.AssigneeId);
        Assert.Contains("away", task.RoutingNote, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BecomingUnavailable_MovesOnlyOpenTasksDueInTheAbsence(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 7) }, "dan");
        await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2027, 1, 11) }, "dan");

        var moved = await new StaffDirectory(s.Db, s.Clock).MarkAwayAsync("alice", new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 4), null, "alice");

        Assert.Single(moved.Value);
        var tasks = await s.TasksAsync();
        Assert.Equal(s.Staff["bob"], tasks.Single(t => t.DueOn == new LocalDate(2026, 11, 30)).AssigneeId);
        Assert.Equal(s.Staff["alice"], tasks.Single(t => t.DueOn == new LocalDate(2027, 1, 4)).AssigneeId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ReassigningARoleOnAHousehold_MovesItsOpenTasksToTheNewHolder(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        await new WorkService(s.Db, s.Clock).StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 7) }, "dan");

        var change = await new Teams(s.Db, s.Clock).ReassignAsync("paraplanner", "alice", "bob", "HH-1", "erin");

        Assert.True(change.IsSuccess, change.Error?.Message);
        Assert.Equal(1, change.Value.TasksMoved);
        Assert.Equal(s.Staff["bob"], (await s.TasksAsync()).Single().AssigneeId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AssigningARoleToSomeoneWhoDoesNotHoldIt_IsRefusedWithTheReason(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);

        var result = await new Teams(s.Db, s.Clock).SetAsync("HH-1", "paraplanner", "carol", null, "erin");

        Assert.False(result.IsSuccess);
        Assert.Contains("carol does not hold the paraplanner role", result.Error!.Message, StringComparison.Ordinal);
    }
}
