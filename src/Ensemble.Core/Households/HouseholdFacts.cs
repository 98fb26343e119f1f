using Ensemble.ServiceModel;
using NodaTime;

namespace Ensemble.Households;

/// <summary>
/// A read-only snapshot of a household's facts as of a date, the input of step conditions
/// (and later of tiering and the advisory framework). Unknown facts are null.
/// </summary>
public sealed record HouseholdFacts(
    LifecycleStage Stage,
    decimal? NetWorth,
    decimal? InvestableAssets,
    decimal? HouseholdIncome,
    decimal? InitialRevenue,
    decimal? RecurringRevenue,
    int? ReferralsGiven,
    int? Products,
    int? PrimaryAge,
    int Members,
    int Dependants,
    IReadOnlySet<string> AccountTypes,
    IReadOnlySet<string> PolicyTypes,
    IReadOnlySet<string> Tags)
{
    private static readonly IReadOnlySet<LifeEventKind> NoLifeEvents = new HashSet<LifeEventKind>();

    /// <summary>
    /// The household's tier in force (the stored tier, or its override while it lasts); null when no
    /// tier is stored for it. Filled by storage, which holds the stored tiers.
    /// </summary>
    public ServiceTier? Tier { get; init; }

    /// <summary>
    /// Kinds of life events recorded for the household that happened on or after <see cref="RecentSince"/>
    /// or are still ahead. Filled by storage, which holds the recorded events.
    /// </summary>
    public IReadOnlySet<LifeEventKind> RecentLifeEvents { get; init; } = NoLifeEvents;

    /// <summary>The first day a life event still counts as recent: one year back.</summary>
    public static LocalDate RecentSince(LocalDate today) => today.PlusYears(-1);

    public static HouseholdFacts From(Household household, LocalDate today) => new(
        household.Stage,
        household.Stated.NetWorth?.Amount,
        household.InvestableAssets?.Amount,
        household.Stated.HouseholdIncome?.Amount,
        household.Stated.InitialRevenue?.Amount,
        household.Stated.RecurringRevenue?.Amount,
        household.Stated.ReferralsGiven,
        household.Products,
        household.PrimaryMember?.AgeOn(today),
        household.Members.Count,
        household.Members.Count(m => m.Relationship is Relationship.Child or Relationship.Dependant),
        household.Accounts.Select(a => a.Type).ToHashSet(),
        household.Policies.Select(p => p.Type).ToHashSet(),
        household.Tags.Select(t => t.ToLowerInvariant()).ToHashSet());

    /// <summary>Facts for firm-level work, which has no household.</summary>
    public static HouseholdFacts None { get; } = new(
        LifecycleStage.Client, null, null, null, null, null, null, null, null, 0, 0,
        new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
}
