using Ensemble.Storage.Practice;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

public sealed class FirmSnapshotTests
{
    private static readonly Dictionary<string, LocalDate> Meeting = new() { ["meeting"] = new(2026, 12, 7) };

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SomeoneMarkedAwayByAnotherProcess_GetsNoNewWork_EvenThoughTheStaffWereReadBefore(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));

        // The first start reads the firm and staff, with alice available: her work goes to her.
        await new WorkService(s.Db, s.Clock).StartAsync("meeting-prep", s.Household, Meeting, "dan");
        Assert.Equal(s.Staff["alice"], Assert.Single(await s.TasksAsync()).AssigneeId);

        // Another process (its own context and connection) marks her away.
        await using (var other = s.OpenAnother())
        {
            await new StaffDirectory(other, s.Clock).MarkAwayAsync("alice", new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 4), "Vacation", "alice");
        }

        await new WorkService(s.Db, s.Clock).StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 8) }, "dan");

        var latest = (await s.TasksAsync()).OrderByDescending(t => t.Id.Value).First();
        Assert.Equal(s.Staff["bob"], latest.AssigneeId);
        Assert.Contains("away", latest.RoutingNote, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SomeoneMarkedAwayByAnotherProcess_GetsNoWorkACompletionActivates(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var work = new WorkService(s.Db, s.Clock);
        var started = await work.StartAsync("meeting-prep", s.Household, Meeting, "dan");
        Assert.True(started.IsSuccess, started.Error?.Message);

        // dan holds the next step's role; another process marks him away after this node has read the staff.
        await using (var other = s.OpenAnother())
        {
            await new StaffDirectory(other, s.Clock).MarkAwayAsync("dan", new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 11), "Vacation", "dan");
        }

        // A fresh service, as the next request gets: its transition reads the directory stamp with the process.
        var done = await new WorkService(s.Db, s.Clock).CompleteAsync(Assert.Single(started.Value.Instance.Tasks).Id, "alice");
        Assert.True(done.IsSuccess, done.Error?.Message);

        var meeting = Assert.Single(done.Value.Activated);
        Assert.Equal(s.Staff["erin"], meeting.AssigneeId);
        Assert.Contains("away", meeting.RoutingNote, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheDirectoryStamp_MovesWithEveryChangeToTheFirmOrItsStaff_HoweverItIsWritten(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var seen = new HashSet<long> { await StampAsync(s.Db) };

        // Plain SQL, as another tool would write: the triggers are in the database, not in Ensemble's code.
        string[] changes =
        [
            "UPDATE firms SET name = 'Renamed Wealth'",
            "UPDATE staff SET name = 'Alice Renamed' WHERE handle = 'alice'",
            "INSERT INTO staff (handle, name, email, roles, absences, active) SELECT 'zed', 'Zed', 'zed@example.com', roles, absences, active FROM staff WHERE handle = 'bob'",
            "DELETE FROM staff WHERE handle = 'zed'",
        ];
        foreach (var sql in changes)
        {
            await s.Db.Database.ExecuteSqlRawAsync(sql);
            Assert.True(seen.Add(await StampAsync(s.Db)), $"The stamp did not move after: {sql}");
        }

        // Work itself does not move it: completing tasks must not make every process read the staff again.
        var before = await StampAsync(s.Db);
        await s.Db.Database.ExecuteSqlRawAsync("UPDATE households SET name = name");
        Assert.Equal(before, await StampAsync(s.Db));
    }

    private static Task<long> StampAsync(EnsembleDb db) => db.DirectoryStamp.AsNoTracking().Select(d => d.Stamp).SingleAsync();
}
