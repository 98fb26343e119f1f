using Ensemble.Common;

namespace Ensemble.ServiceModel;

/// <summary>
/// A dollar band. Only <see cref="Min"/> decides: a value meeting a better tier's band also supports
/// this one. <see cref="Below"/> (exclusive) is where the next tier up starts, kept for display.
/// </summary>
public readonly record struct MoneyBand(decimal Min, decimal? Below = null);

/// <summary>An inclusive range of ages; a null <see cref="Max"/> means "and older".</summary>
public readonly record struct AgeRange(int Min, int? Max = null)
{
    public bool Contains(int age) => age >= Min && (Max is null || age <= Max);
}

/// <summary>What one tier asks of each criterion.</summary>
public sealed record TierBands(
    MoneyBand NetWorth,
    MoneyBand InvestableAssets,
    MoneyBand HouseholdIncome,
    IReadOnlyList<AgeRange> Ages,
    MoneyBand InitialRevenue,
    MoneyBand RecurringRevenue,
    int MinReferralsGiven,
    int MinProducts);

/// <summary>
/// A firm's tiering thresholds. A household is in the best tier that at least
/// <see cref="RequiredCriteria"/> of the eight criteria support.
/// </summary>
public sealed record TierModel(TierBands A, TierBands B, TierBands C, int RequiredCriteria = 5)
{
    public const int CriteriaCount = 8;

    /// <summary>The tiers a household can be placed in, best first.</summary>
    public static IReadOnlyList<ServiceTier> Tiers { get; } = [ServiceTier.A, ServiceTier.B, ServiceTier.C];

    /// <summary>The seed thresholds (DESIGN.md, client service model).</summary>
    public static TierModel Default { get; } = new(
        A: new TierBands(
            NetWorth: new(2_000_000m),
            InvestableAssets: new(1_000_000m),
            HouseholdIncome: new(400_000m),
            Ages: [new AgeRange(45, 60)],
            InitialRevenue: new(10_000m),
            RecurringRevenue: new(10_000m),
            MinReferralsGiven: 3,
            MinProducts: 4),
        B: new TierBands(
            NetWorth: new(500_000m, 2_000_000m),
            InvestableAssets: new(500_000m, 1_000_000m),
            HouseholdIncome: new(250_000m, 400_000m),
            Ages: [new AgeRange(35, 44), new AgeRange(61)],
            InitialRevenue: new(5_500m, 10_000m),
            RecurringRevenue: new(5_500m, 10_000m),
            MinReferralsGiven: 2,
            MinProducts: 3),
        C: new TierBands(
            NetWorth: new(150_000m, 500_000m),
            InvestableAssets: new(150_000m, 500_000m),
            HouseholdIncome: new(150_000m, 250_000m),
            Ages: [new AgeRange(28, 34)],
            InitialRevenue: new(1_000m, 5_500m),
            RecurringRevenue: new(500m, 5_500m),
            MinReferralsGiven: 1,
            MinProducts: 2));

    public TierBands For(ServiceTier tier) => tier switch
    {
        ServiceTier.A => A,
        ServiceTier.B => B,
        ServiceTier.C => C,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unsegmented has no bands."),
    };

    /// <summary>
    /// Checks a firm-edited model when it is loaded, so a bad edit fails then and not at decision time.
    /// See <see cref="TierModelRules"/> for what is checked; the message names the tier and criterion.
    /// </summary>
    public Result<TierModel> Validate() => TierModelRules.Validate(this);
}
