using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Practice;

/// <summary>Staff: joining, roles held, time away and leaving. Absences and departures move open work to backups.</summary>
public sealed class StaffDirectory(EnsembleDb db, IClock clock)
{
    public async Task<Result<Staff>> AddAsync(string handle, string name, string email, IReadOnlyList<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        var unknown = await UnknownRolesAsync(roles, cancellationToken);
        if (unknown.Count > 0)
        {
            return Error.Invalid($"Unknown role{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown)}. `ensemble roles list` shows the firm's roles.");
        }

        var normalized = handle.Trim().ToLowerInvariant();
        if (normalized.Length == 0 || !normalized.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_'))
        {
            return Error.Invalid($"\"{handle}\" is not a usable handle: use lowercase letters, digits, '.', '-' or '_', e.g. maria.");
        }

        if (await db.Staff.AnyAsync(s => s.Handle == normalized, cancellationToken))
        {
            return Error.Conflict($"Someone already has the handle {normalized}.");
        }

        db.Actor = actor;
        db.Operation = "add-staff";
        var staff = new Staff(normalized, name, email, roles);
        db.Staff.Add(staff);
        await db.SaveChangesAsync(cancellationToken);
        return staff;
    }

    public async Task<Result<Staff>> GrantRoleAsync(string handle, string role, string actor, CancellationToken cancellationToken = default)
    {
        var staff = await FindAsync(handle, cancellationToken);
        if (staff is null)
        {
            return NotFound(handle);
        }

        if ((await UnknownRolesAsync([role], cancellationToken)).Count > 0)
        {
            return Error.Invalid($"Unknown role {role}. `ensemble roles list` shows the firm's roles.");
        }

        db.Actor = actor;
        db.Operation = "grant-role";
        staff.GrantRole(role);
        await db.SaveChangesAsync(cancellationToken);
        return staff;
    }

    /// <summary>
    /// Records time out of office and moves the person's open tasks that fall due in it to their first available backup.
    /// Returns the tasks that moved.
    /// </summary>
    public async Task<Result<IReadOnlyList<WorkTask>>> MarkAwayAsync(string handle, LocalDate from, LocalDate to, string? note, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var staff = await FindAsync(handle, cancellationToken);
        if (staff is null)
        {
            return NotFound(handle);
        }

        db.Actor = actor;
        db.Operation = "mark-away";
        var absence = staff.AddAbsence(from, to, note);
        if (!absence.IsSuccess)
        {
            return absence.Error!;
        }

        await db.SaveChangesAsync(cancellationToken);
        var tasks = await db.Tasks
            .Where(t => t.AssigneeId == staff.Id && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))
            .Where(t => t.DueOn != null && t.DueOn >= from && t.DueOn <= to)
            .ToListAsync(cancellationToken);
        var moved = await RerouteAsync(tasks, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<IReadOnlyList<WorkTask>>.Success(moved);
    }

    /// <summary>Marks a person as having left: they receive no more work and their open tasks go to backups.</summary>
    public async Task<Result<IReadOnlyList<WorkTask>>> DepartAsync(string handle, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var staff = await FindAsync(handle, cancellationToken);
        if (staff is null)
        {
            return NotFound(handle);
        }

        db.Actor = actor;
        db.Operation = "staff-departed";
        staff.Deactivate();
        await db.SaveChangesAsync(cancellationToken);
        var tasks = await db.Tasks
            .Where(t => t.AssigneeId == staff.Id && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))
            .ToListAsync(cancellationToken);
        var moved = await RerouteAsync(tasks, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<IReadOnlyList<WorkTask>>.Success(moved);
    }

    public Task<Staff?> FindAsync(string handle, CancellationToken cancellationToken = default)
    {
        var normalized = handle.Trim().ToLowerInvariant();
        return db.Staff.SingleOrDefaultAsync(s => s.Handle == normalized, cancellationToken);
    }

    /// <summary>Routes tasks again through their household's team, household by household.</summary>
    internal async Task<IReadOnlyList<WorkTask>> RerouteAsync(IReadOnlyList<WorkTask> tasks, CancellationToken cancellationToken)
    {
        var moved = new List<WorkTask>();
        if (tasks.Count == 0)
        {
            return moved;
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        foreach (var group in tasks.GroupBy(t => t.HouseholdId))
        {
            var context = await WorkContextLoader.LoadAsync(db, firm, group.Key, needFacts: false, today, cancellationToken: cancellationToken);
            moved.AddRange(group.Where(task => ProcessEngine.Reroute(task, context, today)));
        }

        return moved;
    }

    private async Task<List<string>> UnknownRolesAsync(IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var known = await db.Roles.Select(r => r.Key).ToListAsync(cancellationToken);
        return roles.Select(RoleKeys.Normalize).Where(r => !known.Contains(r)).ToList();
    }

    private static Error NotFound(string handle) => Error.NotFound($"No one at the firm has the handle \"{handle}\"; `ensemble staff list` shows everyone.");
}
