using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

public sealed partial class FollowUpRunner
{
    private readonly record struct Allocated(int Started, int Digested, IReadOnlyList<string> Errors);

    /// <summary>A follow-up task waiting for the budget: its template, the person the engine will route it to, its rank today.</summary>
    private sealed record Waiting(long Id, AlertFollowUp FollowUp, FollowUpTemplate Template, StaffId? Person, double Rank);

    /// <summary>
    /// Gives each person their highest-ranked follow-up tasks up to the day's budget, counting those they already got
    /// today, and puts the rest in their digest. Candidates are the planned tasks and yesterday's digest: a fresh day
    /// brings a fresh budget, and what waited competes with what is new, by rank.
    /// </summary>
    private async Task<Allocated> AllocateAsync(FirmFramework framework, FollowUpSettings settings, LocalDate today, string actor, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var pending = await db.FollowUps().AsNoTracking()
            .Where(f => f.Status == FollowUpStatus.Planned || (f.Status == FollowUpStatus.InDigest && f.DigestOn < today))
            .OrderBy(f => f.Id)
            .ToListAsync(cancellationToken);
        var errors = new List<string>();
        if (pending.Count == 0)
        {
            return new Allocated(0, 0, errors);
        }

        var tasks = new FollowUpTasks(db, clock);
        var router = await TeamRouter.LoadAsync(db, pending.Select(f => f.HouseholdId).Distinct().ToList(), cancellationToken);
        var waiting = new List<Waiting>(pending.Count);
        foreach (var followUp in pending)
        {
            var route = FollowUpRoute.Of(new FollowUpPlan(followUp.Quadrant, followUp.Channel, followUp.Action, followUp.OwnerRole, followUp.Reason));
            if (route.Kind != FollowUpRouteKind.Task)
            {
                continue;
            }

            var template = await tasks.TemplateAsync(route.TemplateKey!, actor, cancellationToken);
            if (!template.IsSuccess)
            {
                errors.Add(template.Error!.Message);
                continue;
            }

            var person = router.Route(template.Value.ActingRole(followUp), followUp.HouseholdId, today);
            var rank = framework.Type(followUp.TypeKey) is { } type ? new CanvasPlace(type.Urgency, type.Sensitivity).Rank : followUp.Rank;
            waiting.Add(new Waiting(followUp.Id, followUp, template.Value, person, rank));
        }

        var already = await TasksGivenAsync(today, cancellationToken);
        var (withinBudget, digest) = NoiseBudget.Allocate(
            waiting.Where(w => w.Person is not null).Select(w => new PushCandidate<Waiting>(w.Person!.Value.Value, w.Rank, w)), already, settings.TasksPerPersonPerDay);

        // Work for a role no one holds waits in the role's queue, not on a person's list: no one's budget to spend.
        var start = withinBudget.Concat(waiting.Where(w => w.Person is null)).OrderByDescending(w => w.Rank).ThenBy(w => w.Id).ToList();
        var started = 0;
        foreach (var item in start)
        {
            var result = await tasks.StartAsync(item.FollowUp, item.Template, actor, cancellationToken);
            if (!result.IsSuccess)
            {
                errors.Add($"Follow-up of alert {item.FollowUp.AlertId}: {result.Error!.Message}");
                continue;
            }

            started += await SaveAsync(item.Id, actor, f => f.TaskStarted(result.Value.Instance, item.Template.ActingRole(f), result.Value.Assignee ?? item.Person, today), cancellationToken);
        }

        var digested = 0;
        foreach (var chunk in digest.SelectMany(d => d.Value).Chunk(Batch))
        {
            var byId = chunk.ToDictionary(w => w.Id);
            digested += await SaveAsync(byId.Keys.ToList(), actor, f => f.ToDigest(byId[f.Id].Template.ActingRole(f), byId[f.Id].Person!.Value, today), cancellationToken);
        }

        await new DigestNotices(db, clock).PostAsync(digest.Keys.Select(p => new StaffId(p)).ToList(), today, settings, cancellationToken);
        return new Allocated(started, digested, errors);
    }

    /// <summary>Follow-up tasks each person already received today within the budget (not those they took up from their digest).</summary>
    private async Task<Dictionary<long, int>> TasksGivenAsync(LocalDate today, CancellationToken cancellationToken)
    {
        var given = await db.FollowUps().AsNoTracking()
            .Where(f => f.TaskOn == today && f.TakenUpBy == null && f.AssigneeId != null)
            .Select(f => f.AssigneeId)
            .ToListAsync(cancellationToken);
        return given.GroupBy(s => s!.Value.Value).ToDictionary(g => g.Key, g => g.Count());
    }

    private Task<int> SaveAsync(long id, string actor, Func<AlertFollowUp, Result<AlertFollowUp>> move, CancellationToken cancellationToken) =>
        SaveAsync([id], actor, move, cancellationToken);

    /// <summary>Moves the follow-ups with these ids in one audited save; returns how many moved.</summary>
    private async Task<int> SaveAsync(List<long> ids, string actor, Func<AlertFollowUp, Result<AlertFollowUp>> move, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "follow-up-alert";
        var rows = await db.FollowUps().Where(f => EF.Parameter(ids).Contains(f.Id)).ToListAsync(cancellationToken);
        var moved = rows.Count(f => move(f).IsSuccess);
        using (await WriteGate.EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return moved;
    }
}

/// <summary>
/// Who the engine will give a household's task for a role to today — the holder, else the first backup who is in,
/// else the firm-level holder (<see cref="WorkRouter"/>) — read once for many households, so the budget can count per person.
/// </summary>
internal sealed class TeamRouter
{
    private readonly ILookup<HouseholdId?, TeamAssignment> _teams;
    private readonly List<TeamAssignment> _firmLevel;
    private readonly Dictionary<StaffId, Staff> _staff;

    private TeamRouter(List<TeamAssignment> assignments, Dictionary<StaffId, Staff> staff)
    {
        _teams = assignments.Where(a => !a.IsFirmLevel).ToLookup(a => a.HouseholdId);
        _firmLevel = assignments.Where(a => a.IsFirmLevel).ToList();
        _staff = staff;
    }

    public static async Task<TeamRouter> LoadAsync(EnsembleDb db, List<HouseholdId> households, CancellationToken cancellationToken)
    {
        var assignments = await db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId == null).ToListAsync(cancellationToken);
        foreach (var chunk in households.Chunk(2000))
        {
            var ids = chunk.Select(h => (HouseholdId?)h).ToList();
            assignments.AddRange(await db.TeamAssignments.AsNoTracking().Where(a => EF.Parameter(ids).Contains(a.HouseholdId)).ToListAsync(cancellationToken));
        }

        var staff = await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        return new TeamRouter(assignments, staff);
    }

    public StaffId? Route(string role, HouseholdId household, LocalDate day) =>
        WorkRouter.Route(role, household, day, _teams[household].Concat(_firmLevel), _staff).StaffId;
}
