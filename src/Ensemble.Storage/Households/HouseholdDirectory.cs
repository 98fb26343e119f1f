using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Households;

/// <summary>A line of the household list.</summary>
public sealed record HouseholdLine(HouseholdId Id, string Key, string Name, LifecycleStage Stage, int OpenTasks);

/// <summary>Finding, adding and moving households along their lifecycle.</summary>
public sealed class HouseholdDirectory(EnsembleDb db, IClock clock)
{
    /// <summary>
    /// Households by name; <paramref name="withinHouseholds"/>, when given, narrows the list to the households
    /// a person may see.
    /// </summary>
    public async Task<List<HouseholdLine>> ListAsync(string? search, LifecycleStage? stage, int limit, int offset = 0, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default)
    {
        var query = db.Households.AsNoTracking();
        if (withinHouseholds is not null)
        {
            var ids = withinHouseholds.Select(h => new HouseholdId(h)).ToList();
            query = query.Where(h => ids.Contains(h.Id));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLower();
            query = query.Where(h => h.Name.ToLower().Contains(term) || h.Key.ToLower().Contains(term));
        }

        if (stage is not null)
        {
            query = query.Where(h => h.Stage == stage);
        }

        return await query.OrderBy(h => h.Name).ThenBy(h => h.Id).Skip(offset).Take(limit)
            .Select(h => new HouseholdLine(h.Id, h.Key, h.Name, h.Stage,
                db.Tasks.Count(t => t.HouseholdId == h.Id && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The id behind a household key, or null when there is no such household.</summary>
    public Task<HouseholdId?> IdOfAsync(string key, CancellationToken cancellationToken = default) =>
        db.Households.AsNoTracking().Where(h => h.Key == key).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The household with members, accounts and policies, read-only.</summary>
    public Task<Household?> FindAsync(string key, CancellationToken cancellationToken = default) =>
        db.Households.AsNoTracking().AsSplitQuery()
            .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
            .SingleOrDefaultAsync(h => h.Key == key, cancellationToken);

    public async Task<Result<Household>> AddAsync(string key, string name, LifecycleStage stage, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(name))
        {
            return Error.Invalid("A household needs a key (its id in your CRM, e.g. HH-1001) and a name.");
        }

        if (await db.Households.AnyAsync(h => h.Key == key.Trim(), cancellationToken))
        {
            return Error.Conflict($"A household with key {key.Trim()} already exists.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Actor = actor;
        db.Operation = "add-household";
        var household = new Household(key, name, stage);
        db.Households.Add(household);
        await db.SaveChangesAsync(cancellationToken);
        if (stage == LifecycleStage.Client)
        {
            await new WorkService(db, clock).FollowOnAsync([BecameClient(household)], actor, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return household;
    }

    /// <summary>Moves a household along its lifecycle; becoming a client starts the processes that listen for it.</summary>
    public async Task<Result<Household>> SetStageAsync(string key, LifecycleStage stage, string actor, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var household = await db.Households.SingleOrDefaultAsync(h => h.Key == key, cancellationToken);
        if (household is null)
        {
            return Error.NotFound($"There is no household {key}.");
        }

        db.Actor = actor;
        db.Operation = "set-stage";
        if (household.MoveTo(stage) && stage == LifecycleStage.Client)
        {
            await db.SaveChangesAsync(cancellationToken);
            await new WorkService(db, clock).FollowOnAsync([BecameClient(household)], actor, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return household;
    }

    /// <summary>Records a professional the household relies on (CPA, attorney, insurance agent…), replacing one of the same kind and name.</summary>
    public async Task<Result<Household>> AddTrustedAdvisorAsync(string key, TrustedAdvisor advisor, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(advisor.Kind) || string.IsNullOrWhiteSpace(advisor.Name))
        {
            return Error.Invalid("A trusted advisor needs a kind (cpa, attorney, insurance-agent…) and a name.");
        }

        var household = await db.Households.SingleOrDefaultAsync(h => h.Key == key, cancellationToken);
        if (household is null)
        {
            return Error.NotFound($"There is no household {key}.");
        }

        db.Actor = actor;
        db.Operation = "add-trusted-advisor";
        household.AddTrustedAdvisor(advisor with { Kind = advisor.Kind.Trim().ToLowerInvariant() });
        await db.SaveChangesAsync(cancellationToken);
        return household;
    }

    /// <summary>Open and recent processes of a household.</summary>
    public Task<List<ProcessInstance>> ProcessesAsync(HouseholdId id, CancellationToken cancellationToken = default) =>
        db.Instances.AsNoTracking().Include(i => i.Tasks)
            .Where(i => i.HouseholdId == id)
            .OrderByDescending(i => i.StartedAt)
            .Take(20)
            .ToListAsync(cancellationToken);

    private DomainEvent BecameClient(Household household) =>
        new(EventKind.HouseholdBecameClient, household.Id, null, $"client:{household.Id}:{clock.GetCurrentInstant().ToUnixTimeTicks()}");
}
