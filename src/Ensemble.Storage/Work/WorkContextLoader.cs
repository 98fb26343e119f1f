using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>
/// Which facts a template's step conditions read: the household's own (one read with its members, accounts
/// and policies), and the stored tier and recent life events, which cost a query each and are read only by
/// templates whose conditions use <c>tier</c> or <c>recent_life_event</c>.
/// </summary>
public readonly record struct FactNeeds(bool Household, bool Tier, bool LifeEvents)
{
    /// <summary><c>true</c> reads every fact, <c>false</c> none: for callers that do not look at the template.</summary>
    public static implicit operator FactNeeds(bool all) => new(all, all, all);

    public static FactNeeds Of(ProcessTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var conditions = template.Steps.Where(s => s.Condition is not null).Select(s => s.Condition!).ToList();
        return new FactNeeds(
            conditions.Count > 0,
            conditions.Any(c => c.Reads.Contains("tier")),
            conditions.Any(c => c.Reads.Contains("recent_life_event")));
    }
}

/// <summary>Loads what the engine needs for one household (or the firm), read-only and in few queries.</summary>
public static class WorkContextLoader
{
    public static async Task<Firm> FirmAsync(EnsembleDb db, CancellationToken cancellationToken = default) =>
        await db.Firms.AsNoTracking().FirstOrDefaultAsync(cancellationToken)
        ?? throw new InvalidOperationException("No firm is set up in this database; run `ensemble init` first.");

    /// <param name="staffDirectory">The firm's staff when the caller already holds them (a service reads them once); else read here.</param>
    /// <param name="team">The firm's and the household's role holders when the caller already holds them; else read here.</param>
    public static async Task<WorkContext> LoadAsync(
        EnsembleDb db, Firm firm, HouseholdId? householdId, FactNeeds needFacts, LocalDate today,
        IReadOnlyDictionary<StaffId, Staff>? staffDirectory = null, IReadOnlyList<TeamAssignment>? team = null, CancellationToken cancellationToken = default)
    {
        var assignments = team ?? await TeamAsync(db, householdId, cancellationToken);
        var staff = staffDirectory;
        if (staff is null)
        {
            var staffIds = assignments.SelectMany(a => a.CoverageOrder()).Distinct().ToList();
            staff = await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        }

        var facts = HouseholdFacts.None;
        if (needFacts.Household && householdId is { } id)
        {
            var household = await db.Households.AsNoTracking().AsSplitQuery()
                .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
                .SingleAsync(h => h.Id == id, cancellationToken);
            facts = household.Facts(today);
            if (needFacts.Tier)
            {
                var tier = await db.HouseholdTiers.AsNoTracking().SingleOrDefaultAsync(t => t.HouseholdId == id, cancellationToken);
                facts = facts with { Tier = tier?.InForceOn(today) };
            }

            if (needFacts.LifeEvents)
            {
                var since = HouseholdFacts.RecentSince(today);
                var kinds = await db.LifeEvents.AsNoTracking()
                    .Where(e => e.HouseholdId == id && e.OccurredOn >= since)
                    .Select(e => e.Kind).Distinct()
                    .ToListAsync(cancellationToken);
                facts = facts with { RecentLifeEvents = kinds.ToHashSet() };
            }
        }

        return new WorkContext(firm.Calendar, firm.Zone, assignments, staff, facts);
    }

    // Every transition reads its household's team, so the two shapes of the query are compiled once per model.
    private static readonly CompiledPerModel<Func<EnsembleDb, IAsyncEnumerable<TeamAssignment>>> FirmTeam = new(() => EF.CompileAsyncQuery(
        (EnsembleDb db) => db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId == null)));

    private static readonly CompiledPerModel<Func<EnsembleDb, HouseholdId, IAsyncEnumerable<TeamAssignment>>> HouseholdTeam = new(() => EF.CompileAsyncQuery(
        (EnsembleDb db, HouseholdId id) => db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId == null || a.HouseholdId == id)));

    /// <summary>The firm-wide role holders, and the household's own team when there is one.</summary>
    private static async Task<IReadOnlyList<TeamAssignment>> TeamAsync(EnsembleDb db, HouseholdId? householdId, CancellationToken cancellationToken)
    {
        var rows = householdId is { } id ? HouseholdTeam.For(db)(db, id) : FirmTeam.For(db)(db);
        var assignments = new List<TeamAssignment>();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            assignments.Add(row);
        }

        return assignments;
    }

    /// <summary>Which facts the template's conditions read; nothing when it has none.</summary>
    public static FactNeeds NeedsFacts(ProcessTemplate template) => FactNeeds.Of(template);
}
