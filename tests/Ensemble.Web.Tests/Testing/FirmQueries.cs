using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Testing;

/// <summary>Finding things in the app's firm to aim requests at, read straight from its database.</summary>
public static class FirmQueries
{
    /// <summary>The first household (by key) with open work whose team has <paramref name="handle"/> as holder or backup.</summary>
    public static async Task<string> HouseholdOnTeamOfAsync(this EnsembleApp app, string handle)
    {
        await using var db = app.OpenDb();
        var staffId = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        var team = await db.TeamAssignments.AsNoTracking().ToListAsync();
        var mine = team.Where(a => a.HouseholdId is not null && a.CoverageOrder().Contains(staffId)).Select(a => a.HouseholdId).ToHashSet();
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress)
            .Select(t => t.HouseholdId).ToListAsync();
        var households = await db.Households.AsNoTracking().Select(h => new { h.Id, h.Key }).ToListAsync();
        var keys = households.Where(h => mine.Contains(h.Id) && open.Contains(h.Id)).Select(h => h.Key).ToList();
        Assert.True(keys.Count > 0, $"{handle} is on no household team with open work.");
        return keys.Order(StringComparer.Ordinal).First();
    }

    /// <summary>A task of the household: an open one if there is one.</summary>
    public static async Task<long> TaskInAsync(this EnsembleApp app, string householdKey)
    {
        await using var db = app.OpenDb();
        var household = await HouseholdIdAsync(db, householdKey);
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.HouseholdId == household).Select(t => new { t.Id, t.Status }).ToListAsync();
        return tasks.OrderBy(t => t.Status is WorkTaskStatus.Open or WorkTaskStatus.InProgress ? 0 : 1).ThenBy(t => t.Id.Value).First().Id.Value;
    }

    public static async Task<long> ProcessInAsync(this EnsembleApp app, string householdKey)
    {
        await using var db = app.OpenDb();
        var household = await HouseholdIdAsync(db, householdKey);
        var ids = await db.Instances.AsNoTracking().Where(i => i.HouseholdId == household).Select(i => i.Id).ToListAsync();
        return ids.Min(i => i.Value);
    }

    public static async Task<WorkTaskStatus> TaskStatusAsync(this EnsembleApp app, long taskId)
    {
        await using var db = app.OpenDb();
        return await db.Tasks.AsNoTracking().Where(t => t.Id == new TaskId(taskId)).Select(t => t.Status).SingleAsync();
    }

    public static async Task<int> HouseholdCountAsync(this EnsembleApp app, string key)
    {
        await using var db = app.OpenDb();
        return await db.Households.AsNoTracking().CountAsync(h => h.Key == key);
    }

    /// <summary>An id that names nothing: larger than any row the tests create.</summary>
    public const long Missing = 987_654_321;

    private static Task<HouseholdId> HouseholdIdAsync(EnsembleDb db, string key) =>
        db.Households.AsNoTracking().Where(h => h.Key == key).Select(h => h.Id).SingleAsync();
}
