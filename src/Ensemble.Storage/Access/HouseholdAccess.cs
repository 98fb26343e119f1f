using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Access;

/// <summary>
/// Per-household authorization, deny by default: staff see a household when they hold a role on its team
/// or back someone up on it; holders of roles marked as seeing the whole firm see every household.
/// </summary>
public sealed class HouseholdAccess(EnsembleDb db)
{
    /// <summary>The caller as access sees them, or null when the handle names no active staff member.</summary>
    public async Task<Caller?> CallerAsync(StaffId staffId, CancellationToken cancellationToken = default)
    {
        var staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId && s.Active, cancellationToken);
        if (staff is null)
        {
            return null;
        }

        var wholeFirm = await db.Roles.AsNoTracking().Where(r => r.SeesWholeFirm).Select(r => r.Key).ToListAsync(cancellationToken);
        return new Caller(staff.Id, staff.Handle, staff.Name, staff.Roles, staff.Roles.Any(wholeFirm.Contains));
    }

    public async Task<bool> CanSeeAsync(Caller caller, HouseholdId householdId, CancellationToken cancellationToken = default)
    {
        if (caller.SeesWholeFirm)
        {
            return true;
        }

        // A household's team is a handful of rows found through its index; backups are checked in memory.
        return IsOnTeam(caller, await HouseholdTeams.AtAsync(db, householdId, stamp: null, cancellationToken));
    }

    /// <summary>
    /// A task is visible with its household; firm-level work (no household) is visible to whoever it is
    /// assigned to, to holders of its role, and to those who see the whole firm.
    /// </summary>
    public Task<bool> CanSeeTaskAsync(Caller caller, WorkTask task, CancellationToken cancellationToken = default) =>
        CanSeeTaskAsync(caller, TaskOwner.Of(task), cancellationToken);

    /// <summary>The decision of <see cref="CanSeeTask"/>, reading the household's team only when it is needed.</summary>
    public async Task<bool> CanSeeTaskAsync(Caller caller, TaskOwner task, CancellationToken cancellationToken = default)
    {
        var householdTeam = NeedsTeam(caller, task) ? await HouseholdTeams.AtAsync(db, task.HouseholdId!.Value, stamp: null, cancellationToken) : [];
        return CanSeeTask(caller, task, householdTeam);
    }

    /// <summary>Whether deciding on <paramref name="task"/> needs its household's team: not for the firm-wide, the assignee, or firm-level work.</summary>
    public static bool NeedsTeam(Caller caller, TaskOwner task)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(task);
        return task.HouseholdId is not null && !caller.SeesWholeFirm && task.AssigneeId != caller.StaffId;
    }

    /// <summary>
    /// Whether the caller may see and act on a task, given its household's team when <see cref="NeedsTeam"/> says so
    /// (its own rows, backups included; otherwise empty).
    /// </summary>
    public static bool CanSeeTask(Caller caller, TaskOwner task, IEnumerable<TeamAssignment> householdTeam)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(task);
        return caller.SeesWholeFirm
            || task.AssigneeId == caller.StaffId
            || (task.HouseholdId is null ? caller.Roles.Contains(task.RoleKey) : IsOnTeam(caller, householdTeam));
    }

    /// <summary>The ids of the households the caller may see, or null for "all of them".</summary>
    public async Task<HashSet<long>?> VisibleHouseholdIdsAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (caller.SeesWholeFirm)
        {
            return null;
        }

        // Backups are stored as "3,5,8": a delimited LIKE finds the caller among them on both databases.
        var id = caller.StaffId.Value;
        var pattern = $"%,{id},%";
        var ids = await db.Database
            .SqlQuery<long>($"SELECT household_id AS \"Value\" FROM team_assignments WHERE household_id IS NOT NULL AND (staff_id = {id} OR (',' || backups || ',') LIKE {pattern})")
            .ToListAsync(cancellationToken);
        return ids.ToHashSet();
    }

    private static bool IsOnTeam(Caller caller, IEnumerable<TeamAssignment> team) => team.Any(a => a.CoverageOrder().Contains(caller.StaffId));
}
