namespace Ensemble.ServiceModel;

/// <summary>How one criterion came out: its value as shown to a user (null when unknown) and the tiers it supports, best first.</summary>
public sealed record CriterionLine(TierCriterion Criterion, string? Value, IReadOnlyList<ServiceTier> Supports)
{
    public bool IsMissing => Value is null;

    /// <summary>The best tier this criterion supports, or null when it supports none.</summary>
    public ServiceTier? BestTier => Supports.Count > 0 ? Supports[0] : null;

    public string Explain()
    {
        var label = TierText.Label(Criterion);
        if (Value is null)
        {
            return $"{label} unknown — missing";
        }

        return BestTier is { } best ? $"{label} {Value} — supports {best}" : $"{label} {Value} — supports no tier";
    }
}

/// <summary>How many of the eight criteria support a tier.</summary>
public readonly record struct TierCount(ServiceTier Tier, int Supporting);

/// <summary>
/// The outcome of tiering a household, with everything needed to explain it. <see cref="Tier"/> is the
/// tier in force; <see cref="Computed"/> is what the facts alone give, which differs only under a manual override.
/// </summary>
public sealed record TierDecision(
    ServiceTier Tier,
    ServiceTier Computed,
    IReadOnlyList<CriterionLine> Lines,
    IReadOnlyList<TierCount> Counts,
    IReadOnlyList<TierCriterion> Missing,
    int RequiredCriteria,
    string? OverrideNote = null)
{
    public int CountFor(ServiceTier tier) => Counts.FirstOrDefault(c => c.Tier == tier).Supporting;

    /// <summary>The tier in force in words: "tier B", or "Unsegmented".</summary>
    public string TierName => TierText.Name(Tier);

    /// <summary>Plain-English lines: one per criterion, the count that decided, missing facts, and any override.</summary>
    public IReadOnlyList<string> Explain()
    {
        var lines = Lines.Select(l => l.Explain()).ToList();

        var parts = new List<string>();
        foreach (var count in Counts)
        {
            parts.Add(parts.Count == 0
                ? $"{count.Tier}: {count.Supporting} of {Lines.Count} criteria (needs {RequiredCriteria})"
                : $"{count.Tier}: {count.Supporting} of {Lines.Count}");
            if (count.Tier == Computed)
            {
                break;
            }
        }

        var outcome = Computed == ServiceTier.Unsegmented
            ? $"Unsegmented (no tier has {RequiredCriteria} supporting criteria)"
            : $"tier {Computed}";
        lines.Add($"{string.Join("; ", parts)} → {outcome}");

        if (Missing.Count > 0)
        {
            lines.Add($"Missing facts: {string.Join(", ", Missing.Select(m => TierText.Label(m).ToLowerInvariant()))}");
        }

        if (OverrideNote is not null)
        {
            lines.Add(OverrideNote);
        }

        return lines;
    }
}

internal static class TierText
{
    public static string Label(TierCriterion criterion) => criterion switch
    {
        TierCriterion.NetWorth => "Net worth",
        TierCriterion.InvestableAssets => "Investable assets",
        TierCriterion.HouseholdIncome => "Household income",
        TierCriterion.Age => "Age",
        TierCriterion.InitialRevenue => "Initial revenue",
        TierCriterion.RecurringRevenue => "Recurring revenue",
        TierCriterion.ReferralsGiven => "Referrals given",
        TierCriterion.Products => "Products",
        _ => criterion.ToString(),
    };

    public static string Name(ServiceTier tier) => tier == ServiceTier.Unsegmented ? "Unsegmented" : $"tier {tier}";
}
