using System.Text.Json;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>A household whose computed tier changed in a recompute.</summary>
public sealed record TierMove(string Key, string Name, ServiceTier From, ServiceTier To, ServiceTier InForce);

/// <summary>What a recompute did: how many households it decided, how they split, and who moved.</summary>
public sealed record TierRecomputeReport(int Decided, int FirstDecisions, int Moved, IReadOnlyDictionary<ServiceTier, int> ByTier, int MissingFacts, IReadOnlyList<TierMove> Moves);

/// <summary>A change of a household's tier as the audit trail recorded it (computed or by hand).</summary>
public sealed record TierChange(Instant At, string Actor, string Key, string Name, string What, string? From, string? To, string? Reason);

/// <summary>A household's tier as shown: the explained decision and the stored row behind it.</summary>
public sealed record TierView(Household Household, TierDecision Decision, HouseholdTier? Stored);

/// <summary>
/// Keeps every household's stored tier in line with its facts and the firm's tier model, and records
/// manual overrides. Each change is an audited row change, so the audit trail is also the history of
/// who moved between tiers and why.
/// </summary>
public sealed class TierBook(EnsembleDb db, IClock clock)
{
    /// <summary>Imports that change at most this many households re-decide their tiers in the same transaction.</summary>
    public const int InlineRecomputeLimit = 2_000;

    private const string DailyCursor = "tiers:daily";

    private const int Batch = 1000;

    /// <summary>Re-decides the given households (all when null) and stores what changed. Safe to run again: a repeat writes nothing.</summary>
    public async Task<TierRecomputeReport> RecomputeAsync(IReadOnlyCollection<HouseholdId>? only = null, string actor = "ensemble", CancellationToken cancellationToken = default)
    {
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        db.Actor = actor;
        db.Operation = "recompute-tiers";

        var byTier = TierModel.Tiers.Append(ServiceTier.Unsegmented).ToDictionary(t => t, _ => 0);
        var moves = new List<TierMove>();
        int decided = 0, first = 0, missing = 0;
        foreach (var ids in await BatchesAsync(only, cancellationToken))
        {
            // The batch goes as one array parameter: a thousand ids spelled out as parameters cost EF more than the query.
            var households = await db.Households.AsNoTracking().AsSplitQuery()
                .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
                .Where(h => EF.Parameter(ids).Contains(h.Id))
                .ToListAsync(cancellationToken);
            var stored = await db.HouseholdTiers.Where(t => EF.Parameter(ids).Contains(t.HouseholdId)).ToDictionaryAsync(t => t.HouseholdId, cancellationToken);
            foreach (var household in households)
            {
                var decision = TierClassifier.Classify(household.Facts(today), settings.TierModel);
                decided++;
                missing += decision.MissingMask != 0 ? 1 : 0;
                if (!stored.TryGetValue(household.Id, out var row))
                {
                    row = new HouseholdTier(household.Id, decision.Tier, decision.Missing, today);
                    db.HouseholdTiers.Add(row);
                    first++;
                }
                else
                {
                    var from = row.Computed;
                    if (row.Record(decision.Tier, decision.Missing, today))
                    {
                        moves.Add(new TierMove(household.Key, household.Name, from, decision.Tier, row.InForceOn(today)));
                    }
                }

                byTier[row.InForceOn(today)]++;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return new TierRecomputeReport(decided, first, moves.Count, byTier, missing, moves);
    }

    /// <summary>
    /// Re-decides every household once per firm day, because facts change with the calendar too (a primary
    /// client's birthday moves them between age bands). The day is claimed first, so of several nodes sweeping
    /// at once only one recomputes; later calls the same day return null. A failed recompute gives the day back.
    /// </summary>
    public async Task<TierRecomputeReport?> RecomputeDailyAsync(string actor = "ensemble", CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var startOfToday = firm.Today(clock).AtStartOfDayInZone(firm.Zone).ToInstant();
        var claim = await DailyClaim.TryClaimAsync(db, DailyCursor, clock.GetCurrentInstant(), startOfToday, cancellationToken);
        if (!claim.Claimed)
        {
            return null;
        }

        try
        {
            return await RecomputeAsync(null, actor, cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            await DailyClaim.ReleaseAsync(db, DailyCursor, claim, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Tiers for households that have no stored tier yet, decided from their facts as the household page
    /// does (nothing is stored). Used where a plan must not wait for the first recompute.
    /// </summary>
    public static async Task<Dictionary<HouseholdId, ServiceTier>> DecideUnstoredAsync(
        EnsembleDb db, IReadOnlyCollection<HouseholdId> ids, LocalDate today, TierModel model, CancellationToken cancellationToken = default)
    {
        var tiers = new Dictionary<HouseholdId, ServiceTier>(ids.Count);
        foreach (var chunk in ids.Chunk(Batch))
        {
            var list = chunk.ToList();
            var households = await db.Households.AsNoTracking().AsSplitQuery()
                .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
                .Where(h => EF.Parameter(list).Contains(h.Id))
                .ToListAsync(cancellationToken);
            foreach (var household in households)
            {
                tiers[household.Id] = TierClassifier.Classify(household.Facts(today), model).Tier;
            }
        }

        return tiers;
    }

    /// <summary>Makes the next sweep re-decide every household (after a change too large to re-decide on the spot).</summary>
    public static Task RecomputeAtNextSweepAsync(EnsembleDb db, CancellationToken cancellationToken = default) =>
        db.PeriodicCursors.Where(c => c.TriggerId == DailyCursor).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The household's tier explained criterion by criterion, with any override, under the firm's model.</summary>
    public async Task<TierView?> ExplainAsync(string key, CancellationToken cancellationToken = default)
    {
        var household = await db.Households.AsNoTracking().AsSplitQuery()
            .Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies)
            .SingleOrDefaultAsync(h => h.Key == key, cancellationToken);
        if (household is null)
        {
            return null;
        }

        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var stored = await db.HouseholdTiers.AsNoTracking().SingleOrDefaultAsync(t => t.HouseholdId == household.Id, cancellationToken);
        return new TierView(household, await DecideAsync(db, household, today, cancellationToken), stored);
    }

    /// <summary>The explained decision for a household already loaded (with members, accounts and policies), under the firm's model and any override.</summary>
    public static async Task<TierDecision> DecideAsync(EnsembleDb db, Household household, LocalDate today, CancellationToken cancellationToken = default)
    {
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var stored = await db.HouseholdTiers.AsNoTracking().SingleOrDefaultAsync(t => t.HouseholdId == household.Id, cancellationToken);
        return Tiering.ApplyOverride(Tiering.Decide(household.Facts(today), settings.TierModel), stored?.Override, today);
    }

    /// <summary>Sets a household's tier by hand. A reason is required; the override may end on a date.</summary>
    public async Task<Result<TierDecision>> OverrideAsync(string key, ServiceTier tier, string? reason, LocalDate? until, string actor, CancellationToken cancellationToken = default)
    {
        var manual = TierOverride.Create(tier, reason, until);
        if (!manual.IsSuccess)
        {
            return manual.Error!;
        }

        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        if (until is { } last && last < today)
        {
            return Error.Invalid($"until: {last:uuuu-MM-dd} is already past; an override must last at least through today.");
        }

        return await ChangeOverrideAsync(key, actor, "override-tier", row => row.SetOverride(manual.Value, actor), cancellationToken);
    }

    public Task<Result<TierDecision>> ClearOverrideAsync(string key, string actor, CancellationToken cancellationToken = default) =>
        ChangeOverrideAsync(key, actor, "clear-tier-override", row => row.ClearOverride(), cancellationToken);

    /// <summary>Tier changes recorded since a moment, newest first: computed moves and overrides set or cleared.</summary>
    public async Task<IReadOnlyList<TierChange>> ChangesAsync(Instant since, int limit = 500, CancellationToken cancellationToken = default)
    {
        var rows = await db.AuditEvents.AsNoTracking()
            .Where(e => e.EntityType == nameof(HouseholdTier) && e.Action == "updated" && e.At >= since)
            .OrderByDescending(e => e.Sequence).Take(limit)
            .ToListAsync(cancellationToken);
        var ids = rows.Where(r => r.HouseholdId is not null).Select(r => new HouseholdId(r.HouseholdId!.Value)).Distinct().ToList();
        var names = await db.Households.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id.Value, h => (h.Key, h.Name), cancellationToken);
        var changes = new List<TierChange>();
        foreach (var row in rows)
        {
            var (hhKey, name) = row.HouseholdId is { } id && names.TryGetValue(id, out var n) ? n : ("?", "?");
            var before = Read(row.Before);
            var after = Read(row.After);
            if (after.ContainsKey(nameof(HouseholdTier.Computed)))
            {
                changes.Add(new TierChange(row.At, row.Actor, hhKey, name, "moved", Text(before, nameof(HouseholdTier.Computed)), Text(after, nameof(HouseholdTier.Computed)), null));
            }

            if (after.ContainsKey(nameof(HouseholdTier.OverrideTier)) || after.ContainsKey(nameof(HouseholdTier.OverrideReason)) || after.ContainsKey(nameof(HouseholdTier.OverrideUntil)))
            {
                var to = Text(after, nameof(HouseholdTier.OverrideTier)) ?? Text(before, nameof(HouseholdTier.OverrideTier));
                var cleared = after.TryGetValue(nameof(HouseholdTier.OverrideTier), out var t) && t.ValueKind == JsonValueKind.Null;
                changes.Add(new TierChange(row.At, row.Actor, hhKey, name, cleared ? "override cleared" : "overridden",
                    Text(before, nameof(HouseholdTier.OverrideTier)), cleared ? null : to, Text(after, nameof(HouseholdTier.OverrideReason))));
            }
        }

        return changes;
    }

    private async Task<Result<TierDecision>> ChangeOverrideAsync(string key, string actor, string operation, Action<HouseholdTier> change, CancellationToken cancellationToken)
    {
        var id = await db.Households.AsNoTracking().Where(h => h.Key == key).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            return Error.NotFound($"There is no household {key}.");
        }

        if (!await db.HouseholdTiers.AnyAsync(t => t.HouseholdId == id, cancellationToken))
        {
            await RecomputeAsync([id.Value], actor, cancellationToken);
        }

        db.Actor = actor;
        db.Operation = operation;
        var row = await db.HouseholdTiers.SingleAsync(t => t.HouseholdId == id, cancellationToken);
        change(row);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (await ExplainAsync(key, cancellationToken))!.Decision;
    }

    private async Task<IEnumerable<List<HouseholdId>>> BatchesAsync(IReadOnlyCollection<HouseholdId>? only, CancellationToken cancellationToken)
    {
        var ids = only?.Distinct().ToList()
            ?? await db.Households.AsNoTracking().OrderBy(h => h.Id).Select(h => h.Id).ToListAsync(cancellationToken);
        return ids.Chunk(Batch).Select(c => c.ToList());
    }

    private static Dictionary<string, JsonElement> Read(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];

    private static string? Text(Dictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
