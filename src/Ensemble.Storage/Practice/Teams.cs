using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Practice;

/// <summary>Who holds which role for a household (or the firm), with backups; changes move open work.</summary>
public sealed class Teams(EnsembleDb db, IClock clock)
{
    /// <summary>
    /// Sets the holder (and optionally the backups) of a role for one household, or for the firm when
    /// <paramref name="householdKey"/> is null. Open tasks for that role on that household move with it.
    /// </summary>
    public async Task<Result<TeamChange>> SetAsync(string? householdKey, string role, string holder, IReadOnlyList<string>? backups, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Actor = actor;
        db.Operation = "set-team-role";
        var roleKey = RoleKeys.Normalize(role);
        var roleRow = await db.Roles.AsNoTracking().SingleOrDefaultAsync(r => r.Key == roleKey, cancellationToken);
        if (roleRow is null)
        {
            return Error.Invalid($"Unknown role {role}. `ensemble roles list` shows the firm's roles.");
        }

        HouseholdId? householdId = null;
        if (householdKey is not null)
        {
            var household = await db.Households.AsNoTracking().Where(h => h.Key == householdKey).Select(h => new { h.Id }).SingleOrDefaultAsync(cancellationToken);
            if (household is null)
            {
                return Error.NotFound($"There is no household {householdKey}.");
            }

            householdId = household.Id;
        }

        var people = await ResolveAsync([holder, .. backups ?? []], roleKey, cancellationToken);
        if (!people.IsSuccess)
        {
            return people.Error!;
        }

        var holderId = people.Value[0].Id;
        var backupIds = backups is null ? null : people.Value.Skip(1).Select(s => s.Id).ToList();
        var assignment = await db.TeamAssignments.SingleOrDefaultAsync(a => a.HouseholdId == householdId && a.RoleKey == roleKey, cancellationToken);
        if (assignment is null)
        {
            assignment = new TeamAssignment(householdId, roleKey, holderId, backupIds ?? []);
            db.TeamAssignments.Add(assignment);
        }
        else
        {
            assignment.Reassign(holderId, backupIds);
        }

        await db.SaveChangesAsync(cancellationToken);
        var tasks = await OpenTasksAsync(roleKey, householdId, householdWide: householdId is null, cancellationToken);
        var moved = await new StaffDirectory(db, clock).RerouteAsync(tasks, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TeamChange(1, moved.Count);
    }

    /// <summary>
    /// Hands a role from one person to another (a promotion or a departure), on one household or on
    /// every household (and the firm) where they hold it. Their open tasks for that role move.
    /// </summary>
    public async Task<Result<TeamChange>> ReassignAsync(string role, string from, string to, string? householdKey, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Actor = actor;
        db.Operation = "reassign-role";
        var roleKey = RoleKeys.Normalize(role);
        var people = await ResolveAsync([from, to], roleKey, cancellationToken, checkRoleOf: 1);
        if (!people.IsSuccess)
        {
            return people.Error!;
        }

        var fromId = people.Value[0].Id;
        var toId = people.Value[1].Id;
        var query = db.TeamAssignments.Where(a => a.RoleKey == roleKey && a.StaffId == fromId);
        if (householdKey is not null)
        {
            var household = await db.Households.AsNoTracking().Where(h => h.Key == householdKey).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
            if (household is null)
            {
                return Error.NotFound($"There is no household {householdKey}.");
            }

            query = query.Where(a => a.HouseholdId == household);
        }

        var assignments = await query.ToListAsync(cancellationToken);
        if (assignments.Count == 0)
        {
            return Error.NotFound($"{from} does not hold the {roleKey} role {(householdKey is null ? "anywhere" : "for household " + householdKey)}.");
        }

        foreach (var assignment in assignments)
        {
            assignment.Reassign(toId);
        }

        await db.SaveChangesAsync(cancellationToken);
        // Routing again is harmless for tasks whose owner does not change, so re-route all of the person's open work in the role.
        var scope = householdKey is null ? null : assignments.Select(a => a.HouseholdId).FirstOrDefault();
        var tasks = await db.Tasks
            .Where(t => t.RoleKey == roleKey && t.AssigneeId == fromId && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))
            .Where(t => householdKey == null || t.HouseholdId == scope)
            .ToListAsync(cancellationToken);
        var moved = await new StaffDirectory(db, clock).RerouteAsync(tasks, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TeamChange(assignments.Count, moved.Count);
    }

    /// <summary>The household's team (and the firm-level holders who cover roles it lacks).</summary>
    public async Task<IReadOnlyList<TeamMemberView>> ShowAsync(string? householdKey, CancellationToken cancellationToken = default)
    {
        HouseholdId? householdId = null;
        if (householdKey is not null)
        {
            householdId = await db.Households.AsNoTracking().Where(h => h.Key == householdKey).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
            if (householdId is null)
            {
                return [];
            }
        }

        var assignments = await db.TeamAssignments.AsNoTracking()
            .Where(a => a.HouseholdId == householdId || a.HouseholdId == null)
            .ToListAsync(cancellationToken);
        var ids = assignments.SelectMany(a => a.CoverageOrder()).Distinct().ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var today = (await Work.WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var own = assignments.Where(a => a.HouseholdId == householdId).Select(a => a.RoleKey).ToHashSet();
        return assignments
            .Where(a => a.HouseholdId == householdId || !own.Contains(a.RoleKey))
            .OrderBy(a => a.RoleKey)
            .Select(a => new TeamMemberView(
                a.RoleKey,
                a.IsFirmLevel,
                staff[a.StaffId].Handle,
                staff[a.StaffId].Name,
                staff[a.StaffId].IsAwayOn(today),
                a.Backups.Select(b => staff[b].Handle).ToList()))
            .ToList();
    }

    private async Task<List<WorkTask>> OpenTasksAsync(string roleKey, HouseholdId? householdId, bool householdWide, CancellationToken cancellationToken)
    {
        var open = db.Tasks.Where(t => t.RoleKey == roleKey && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress));
        open = householdWide ? open.Where(t => t.HouseholdId == null) : open.Where(t => t.HouseholdId == householdId);
        return await open.ToListAsync(cancellationToken);
    }

    private async Task<Result<List<Staff>>> ResolveAsync(IReadOnlyList<string> handles, string roleKey, CancellationToken cancellationToken, int checkRoleOf = -1)
    {
        var normalized = handles.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var found = await db.Staff.AsNoTracking().Where(s => normalized.Contains(s.Handle)).ToDictionaryAsync(s => s.Handle, cancellationToken);
        var missing = normalized.Where(h => !found.ContainsKey(h)).ToList();
        if (missing.Count > 0)
        {
            return Error.NotFound($"No one at the firm has the handle {string.Join(", ", missing)}; `ensemble staff list` shows everyone.");
        }

        var people = normalized.Select(h => found[h]).ToList();
        var candidates = checkRoleOf >= 0 ? [people[checkRoleOf]] : people;
        var lacking = candidates.Where(s => !s.Holds(roleKey)).Select(s => s.Handle).ToList();
        if (lacking.Count > 0)
        {
            return Error.Invalid($"{string.Join(", ", lacking)} do{(lacking.Count == 1 ? "es" : "")} not hold the {roleKey} role; grant it first with `ensemble staff grant`.");
        }

        var departed = candidates.Where(s => !s.Active).Select(s => s.Handle).ToList();
        return departed.Count > 0 ? Error.Invalid($"{string.Join(", ", departed)} has left the firm and cannot hold a role.") : people;
    }
}

/// <summary>What a team change did.</summary>
public sealed record TeamChange(int AssignmentsChanged, int TasksMoved);

/// <summary>One line of a team: the role, who holds it, whether they are away today, and the backups in order.</summary>
public sealed record TeamMemberView(string Role, bool FirmLevel, string Handle, string Name, bool AwayToday, IReadOnlyList<string> Backups);
