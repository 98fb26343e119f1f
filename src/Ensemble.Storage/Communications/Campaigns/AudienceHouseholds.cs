using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>One household as a campaign's audience sees it: enough to decide membership and to address it.</summary>
internal sealed record AudienceHousehold(
    HouseholdId Id, string Key, string Name, LifecycleStage Stage, ServiceTier Tier, bool DoNotContact, IReadOnlyList<string> PreferredChannels, string? MailingAddress);

/// <summary>
/// Finds the households an audience names. The whole book is read once as a narrow projection (a few hundred bytes a
/// household) and matched in memory by <see cref="AudienceFilter.Matches"/>, so the rules live in one place and a
/// 100,000-household book takes a fraction of a second; account types are read only when the audience asks for them.
/// </summary>
internal static class AudienceHouseholds
{
    public static async Task<List<AudienceHousehold>> MatchingAsync(EnsembleDb db, AudienceFilter filter, LocalDate today, CancellationToken cancellationToken)
    {
        if (filter.IsEmpty)
        {
            return [];
        }

        var tiers = await TiersAsync(db, today, cancellationToken);
        var accountTypes = filter.AccountTypes.Count == 0 ? null : await AccountTypesAsync(db, cancellationToken);
        var rows = await db.Households.AsNoTracking()
            .Select(h => new { h.Id, h.Key, h.Name, h.Stage, h.Tags, h.DoNotContact, h.PreferredChannels, h.MailingAddress })
            .ToListAsync(cancellationToken);
        var matching = new List<AudienceHousehold>();
        foreach (var h in rows)
        {
            var tier = tiers.GetValueOrDefault(h.Id, ServiceTier.Unsegmented);
            IReadOnlyCollection<string> types = accountTypes is not null && accountTypes.TryGetValue(h.Id, out var held) ? held : [];
            if (filter.Matches(new AudienceFacts(h.Id, tier, h.Tags, types, h.Stage)))
            {
                matching.Add(new AudienceHousehold(h.Id, h.Key, h.Name, h.Stage, tier, h.DoNotContact, h.PreferredChannels, h.MailingAddress));
            }
        }

        matching.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return matching;
    }

    /// <summary>One household, whether or not it is in an audience (for a preview).</summary>
    public static async Task<AudienceHousehold?> OneAsync(EnsembleDb db, HouseholdId id, LocalDate today, CancellationToken cancellationToken) =>
        (await ByIdsAsync(db, [id], today, cancellationToken)).GetValueOrDefault(id);

    /// <summary>The households with these ids (a few hundred at a time), for messages to chosen households rather than an audience.</summary>
    public static async Task<Dictionary<HouseholdId, AudienceHousehold>> ByIdsAsync(EnsembleDb db, IReadOnlyCollection<HouseholdId> ids, LocalDate today, CancellationToken cancellationToken)
    {
        var rows = await db.Households.AsNoTracking().Where(h => EF.Parameter(ids).Contains(h.Id))
            .Select(h => new { h.Id, h.Key, h.Name, h.Stage, h.DoNotContact, h.PreferredChannels, h.MailingAddress })
            .ToListAsync(cancellationToken);
        var tiers = await db.HouseholdTiers.AsNoTracking().Where(t => EF.Parameter(ids).Contains(t.HouseholdId)).ToDictionaryAsync(t => t.HouseholdId, cancellationToken);
        return rows.ToDictionary(
            h => h.Id,
            h => new AudienceHousehold(h.Id, h.Key, h.Name, h.Stage, tiers.TryGetValue(h.Id, out var t) ? t.InForceOn(today) : ServiceTier.Unsegmented, h.DoNotContact, h.PreferredChannels, h.MailingAddress));
    }

    /// <summary>Whether a household is in an audience today.</summary>
    public static async Task<bool> ContainsAsync(EnsembleDb db, AudienceFilter filter, AudienceHousehold household, CancellationToken cancellationToken)
    {
        if (filter.IsEmpty)
        {
            return false;
        }

        var facts = await db.Households.AsNoTracking().Where(h => h.Id == household.Id).Select(h => new { h.Tags }).SingleAsync(cancellationToken);
        var types = filter.AccountTypes.Count == 0
            ? []
            : await db.Accounts.AsNoTracking().Where(a => EF.Property<HouseholdId>(a, "HouseholdId") == household.Id).Select(a => a.Type).Distinct().ToListAsync(cancellationToken);
        return filter.Matches(new AudienceFacts(household.Id, household.Tier, facts.Tags, types, household.Stage));
    }

    private static async Task<Dictionary<HouseholdId, ServiceTier>> TiersAsync(EnsembleDb db, LocalDate today, CancellationToken cancellationToken)
    {
        var stored = await db.HouseholdTiers.AsNoTracking().ToListAsync(cancellationToken);
        return stored.ToDictionary(t => t.HouseholdId, t => t.InForceOn(today));
    }

    private static async Task<Dictionary<HouseholdId, HashSet<string>>> AccountTypesAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        var rows = await db.Accounts.AsNoTracking()
            .Select(a => new { Household = EF.Property<HouseholdId>(a, "HouseholdId"), a.Type })
            .Distinct()
            .ToListAsync(cancellationToken);
        var types = new Dictionary<HouseholdId, HashSet<string>>();
        foreach (var row in rows)
        {
            (types.TryGetValue(row.Household, out var set) ? set : types[row.Household] = new HashSet<string>(StringComparer.Ordinal)).Add(row.Type);
        }

        return types;
    }
}
