using System.Globalization;
using Ensemble.Common;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.ServiceModel;

/// <summary>
/// The A/B/C decision. Criteria disagree for real households, so each one votes for the tiers it
/// supports and the household lands in the best tier with enough votes. Unknown facts vote for
/// nothing and are named, so a thin file shows up as missing data rather than as a quiet C.
/// </summary>
public static class Tiering
{
    public static TierDecision Decide(HouseholdFacts facts, TierModel model)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(model);

        var lines = Enum.GetValues<TierCriterion>().Select(c => Assess(c, facts, model)).ToList();
        var counts = TierModel.Tiers
            .Select(t => new TierCount(t, lines.Count(l => l.Supports.Contains(t))))
            .ToList();
        var tier = counts.FirstOrDefault(c => c.Supporting >= model.RequiredCriteria, new TierCount(ServiceTier.Unsegmented, 0)).Tier;
        var missing = lines.Where(l => l.IsMissing).Select(l => l.Criterion).ToList();

        return new TierDecision(tier, tier, lines, counts, missing, model.RequiredCriteria);
    }

    /// <summary>
    /// Puts a manual override in force unless it has expired (it applies through its last day).
    /// The computed explanation is kept either way, with a line saying what happened to the override.
    /// </summary>
    public static TierDecision ApplyOverride(TierDecision computed, TierOverride? manual, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(computed);
        if (manual is null)
        {
            return computed;
        }

        var until = manual.Until is { } date ? $" (until {Format(date)})" : "";
        if (!manual.IsActiveOn(today))
        {
            return computed with
            {
                Tier = computed.Computed,
                OverrideNote = $"Override to {manual.Tier} expired on {Format(manual.Until!.Value)} — ignored; computed {TierText.Name(computed.Computed)} stands",
            };
        }

        return computed with
        {
            Tier = manual.Tier,
            OverrideNote = $"Computed {TierText.Name(computed.Computed)}; overridden to {manual.Tier} by hand: {manual.Reason}{until}",
        };
    }

    private static CriterionLine Assess(TierCriterion criterion, HouseholdFacts facts, TierModel model) => criterion switch
    {
        TierCriterion.NetWorth => MoneyLine(criterion, facts.NetWorth, model, b => b.NetWorth),
        TierCriterion.InvestableAssets => MoneyLine(criterion, facts.InvestableAssets, model, b => b.InvestableAssets),
        TierCriterion.HouseholdIncome => MoneyLine(criterion, facts.HouseholdIncome, model, b => b.HouseholdIncome),
        TierCriterion.Age => facts.PrimaryAge is int age
            ? Line(criterion, age.ToString(CultureInfo.InvariantCulture), model, b => b.Ages.Any(r => r.Contains(age)))
            : Unknown(criterion),
        TierCriterion.InitialRevenue => MoneyLine(criterion, facts.InitialRevenue, model, b => b.InitialRevenue),
        TierCriterion.RecurringRevenue => MoneyLine(criterion, facts.RecurringRevenue, model, b => b.RecurringRevenue),
        TierCriterion.ReferralsGiven => CountLine(criterion, facts.ReferralsGiven, model, b => b.MinReferralsGiven),
        TierCriterion.Products => CountLine(criterion, facts.Products, model, b => b.MinProducts),
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };

    private static CriterionLine MoneyLine(TierCriterion criterion, decimal? value, TierModel model, Func<TierBands, MoneyBand> band) =>
        value is decimal v
            ? Line(criterion, new Money(v).ToString(), model, b => v >= band(b).Min)
            : Unknown(criterion);

    private static CriterionLine CountLine(TierCriterion criterion, int? value, TierModel model, Func<TierBands, int> min) =>
        value is int v
            ? Line(criterion, v.ToString(CultureInfo.InvariantCulture), model, b => v >= min(b))
            : Unknown(criterion);

    private static CriterionLine Line(TierCriterion criterion, string value, TierModel model, Func<TierBands, bool> supports) =>
        new(criterion, value, TierModel.Tiers.Where(t => supports(model.For(t))).ToList());

    private static CriterionLine Unknown(TierCriterion criterion) => new(criterion, null, []);

    private static string Format(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
