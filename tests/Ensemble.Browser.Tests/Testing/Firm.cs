using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Browser.Tests.Testing;

/// <summary>An open task as the database holds it, with its household's key.</summary>
public sealed record OpenTask(long Id, string Title, string StepKey, string? HouseholdKey, LocalDate? DueOn, string RoutingNote);

/// <summary>Finding things in the app's firm to aim the browser at, and checking what it did, straight from the database.</summary>
public static class Firm
{
    /// <summary>The open tasks assigned to <paramref name="handle"/>, soonest due first.</summary>
    public static async Task<IReadOnlyList<OpenTask>> OpenTasksOfAsync(this BrowserApp app, string handle)
    {
        await using var db = app.OpenDb();
        var staffId = await StaffIdAsync(db, handle);
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => t.AssigneeId == staffId && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))
            .ToListAsync();
        var keys = await db.Households.AsNoTracking().ToDictionaryAsync(h => h.Id, h => h.Key);
        return tasks
            .OrderBy(t => t.DueOn).ThenBy(t => t.Id.Value)
            .Select(t => new OpenTask(t.Id.Value, t.Title, t.StepKey, t.HouseholdId is { } h ? keys[h] : null, t.DueOn, t.RoutingNote))
            .ToList();
    }

    /// <summary>
    /// The <paramref name="index"/>-th of <paramref name="handle"/>'s open tasks for <paramref name="step"/>, soonest due
    /// first. Tests in one class aim at different indexes, so whichever order they run in they act on different households.
    /// </summary>
    /// <remarks>
    /// With <paramref name="afterAbsences"/>, only tasks due after the person's last booked absence count: work that
    /// follows such a task stays with them instead of going to a backup.
    /// </remarks>
    public static async Task<OpenTask> OpenTaskAsync(this BrowserApp app, string handle, string step, int index, bool afterAbsences = false)
    {
        var after = LocalDate.MinIsoValue;
        if (afterAbsences)
        {
            await using var db = app.OpenDb();
            var staff = await db.Staff.AsNoTracking().SingleAsync(s => s.Handle == handle);
            after = staff.Absences.Select(a => a.To).DefaultIfEmpty(after).Max();
        }

        var tasks = (await app.OpenTasksOfAsync(handle)).Where(t => t.StepKey == step && t.HouseholdKey is not null && t.DueOn > after).ToList();
        Assert.True(tasks.Count > index, $"{handle} has only {tasks.Count} open \"{step}\" task(s) due after {after}; the test needs at least {index + 1}.");
        return tasks[index];
    }

    public static async Task<WorkTaskStatus> TaskStatusAsync(this BrowserApp app, long id)
    {
        await using var db = app.OpenDb();
        return await db.Tasks.AsNoTracking().Where(t => t.Id == new TaskId(id)).Select(t => t.Status).SingleAsync();
    }

    /// <summary>Who a task is assigned to now (a handle), or null.</summary>
    public static async Task<string?> AssigneeOfAsync(this BrowserApp app, long id)
    {
        await using var db = app.OpenDb();
        var assignee = await db.Tasks.AsNoTracking().Where(t => t.Id == new TaskId(id)).Select(t => t.AssigneeId).SingleAsync();
        return assignee is { } staffId ? await db.Staff.AsNoTracking().Where(s => s.Id == staffId).Select(s => s.Handle).SingleAsync() : null;
    }

    /// <summary>
    /// A household whose paraplanner is <paramref name="holder"/> and on whose team <paramref name="outsider"/> holds no role
    /// and backs nobody up: the household is not the outsider's to see.
    /// </summary>
    public static async Task<string> HouseholdForeignToAsync(this BrowserApp app, string outsider, string holder)
    {
        await using var db = app.OpenDb();
        var outsiderId = await StaffIdAsync(db, outsider);
        var holderId = await StaffIdAsync(db, holder);
        var teams = await db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId != null).ToListAsync();
        var foreign = teams
            .GroupBy(a => a.HouseholdId!.Value)
            .Where(team => team.Any(a => a.RoleKey == RoleKeys.Paraplanner && a.StaffId == holderId))
            .Where(team => team.All(a => !a.CoverageOrder().Contains(outsiderId)))
            .Select(team => team.Key)
            .ToList();
        Assert.True(foreign.Count > 0, $"Every household where {holder} is the paraplanner has {outsider} on its team.");
        var keys = await db.Households.AsNoTracking().Where(h => foreign.Contains(h.Id)).Select(h => h.Key).ToListAsync();
        return keys.Order(StringComparer.Ordinal).First();
    }

    private static Task<StaffId> StaffIdAsync(Ensemble.Storage.EnsembleDb db, string handle) =>
        db.Staff.AsNoTracking().Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
}
