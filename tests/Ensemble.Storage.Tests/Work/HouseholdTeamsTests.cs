using Ensemble.Practice;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

public sealed class HouseholdTeamsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARoleHandedToSomeoneElseByAnotherProcess_TakesTheWorkTheNextCompletionActivates(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var first = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var second = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 8));

        // The first completion reads the household's team, with dan as its wealth partner, and this process keeps it.
        Assert.Equal(s.Staff["dan"], await ActivatedAssigneeAsync(s, first));

        // Another process hands the role to erin after that.
        await using (var other = s.OpenAnother())
        {
            var handed = await new Teams(other, s.Clock).SetAsync("HH-1", RoleKeys.WealthPartner, "erin", [], "admin");
            Assert.True(handed.IsSuccess, handed.Error?.Message);
        }

        Assert.Equal(s.Staff["erin"], await ActivatedAssigneeAsync(s, second));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AHouseholdsTeam_IsReadAgainOnlyWhenItsStampHasMoved(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var first = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var second = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 8));
        var third = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 9));
        Assert.Equal(s.Staff["dan"], await ActivatedAssigneeAsync(s, first));
        var stamp = await StampAsync(s.Db, s.Household.Value);

        // The role is handed to erin, and then the stamp is put back by hand, which no real write does: the process
        // cannot tell, so it still routes by the team it holds. That is how it spares the read.
        var erin = s.Staff["erin"].Value;
        var household = s.Household.Value;
        await s.Db.Database.ExecuteSqlAsync($"UPDATE team_assignments SET staff_id = {erin}, backups = '' WHERE household_id = {household} AND role_key = 'wealth-partner'");
        await s.Db.Database.ExecuteSqlAsync($"UPDATE team_stamps SET stamp = {stamp} WHERE household_id = {household}");
        Assert.Equal(s.Staff["dan"], await ActivatedAssigneeAsync(s, second));

        // Once the stamp moves, the team is read again.
        await s.Db.Database.ExecuteSqlAsync($"UPDATE team_stamps SET stamp = {stamp + 1} WHERE household_id = {household}");
        Assert.Equal(s.Staff["erin"], await ActivatedAssigneeAsync(s, third));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AFirmLevelHolderChangedByAnotherProcess_CoversWhatTheHouseholdsTeamLacks_FromTheNextCompletion(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));

        // The household has no wealth partner of its own, so the firm-level holder takes the meeting.
        await s.Db.Database.ExecuteSqlRawAsync("DELETE FROM team_assignments WHERE household_id IS NOT NULL AND role_key = 'wealth-partner'");
        var teams = new Teams(s.Db, s.Clock);
        Assert.True((await teams.SetAsync(null, RoleKeys.WealthPartner, "dan", [], "admin")).IsSuccess);
        s.Db.ChangeTracker.Clear();
        var first = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var second = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 8));
        Assert.Equal(s.Staff["dan"], await ActivatedAssigneeAsync(s, first));

        await using (var other = s.OpenAnother())
        {
            Assert.True((await new Teams(other, s.Clock).SetAsync(null, RoleKeys.WealthPartner, "erin", [], "admin")).IsSuccess);
        }

        Assert.Equal(s.Staff["erin"], await ActivatedAssigneeAsync(s, second));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AHouseholdsTeamStamp_MovesWithEveryWriteToItsTeam_AndWithNoOtherHouseholds(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var other = (await s.AddHouseholdAsync("HH-2", Ensemble.Households.LifecycleStage.Client)).Id.Value;
        var mine = s.Household.Value;
        var seen = new HashSet<long> { await StampAsync(s.Db, mine) };
        var directory = await DirectoryStampAsync(s.Db);

        // Plain SQL, as another tool would write: the triggers are in the database, not in Ensemble's code.
        var alice = s.Staff["alice"].Value;
        FormattableString[] changes =
        [
            $"UPDATE team_assignments SET backups = '' WHERE household_id = {mine} AND role_key = 'paraplanner'",
            $"DELETE FROM team_assignments WHERE household_id = {mine} AND role_key = 'client-service-associate'",
            $"INSERT INTO team_assignments (household_id, role_key, staff_id, backups) VALUES ({mine}, 'client-service-associate', {alice}, '')",
        ];
        foreach (var sql in changes)
        {
            var otherBefore = await StampAsync(s.Db, other);
            await s.Db.Database.ExecuteSqlAsync(sql);
            Assert.True(seen.Add(await StampAsync(s.Db, mine)), $"The stamp did not move after: {sql.Format}");
            Assert.Equal(otherBefore, await StampAsync(s.Db, other));
        }

        // Household teams leave the directory stamp alone; a firm-level holder moves it, since the firm snapshot holds them.
        Assert.Equal(directory, await DirectoryStampAsync(s.Db));
        await s.Db.Database.ExecuteSqlAsync($"UPDATE team_assignments SET staff_id = {alice} WHERE household_id IS NULL");
        Assert.NotEqual(directory, await DirectoryStampAsync(s.Db));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DeletingAHousehold_TakesItsTeamStampWithIt(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var other = await s.AddHouseholdAsync("HH-2", Ensemble.Households.LifecycleStage.Client);

        await s.Db.Database.ExecuteSqlAsync($"DELETE FROM households WHERE id = {other.Id.Value}");

        Assert.False(await s.Db.TeamStamps.AnyAsync(t => t.HouseholdId == other.Id));
        Assert.True(await s.Db.TeamStamps.AnyAsync(t => t.HouseholdId == s.Household));
    }

    // A fresh service per completion, as each request gets.
    private static async Task<Ensemble.Common.StaffId?> ActivatedAssigneeAsync(PracticeScenario s, Processes.Running.WorkTask prepare)
    {
        var done = await new WorkService(s.Db, s.Clock).CompleteAsync(prepare.Id, "alice");
        Assert.True(done.IsSuccess, done.Error?.Message);
        return Assert.Single(done.Value.Activated).AssigneeId;
    }

    private static Task<long> StampAsync(EnsembleDb db, long householdId) =>
        db.TeamStamps.AsNoTracking().Where(t => t.HouseholdId == new Ensemble.Common.HouseholdId(householdId)).Select(t => t.Stamp).SingleAsync();

    private static Task<long> DirectoryStampAsync(EnsembleDb db) => db.DirectoryStamp.AsNoTracking().Select(d => d.Stamp).SingleAsync();
}
