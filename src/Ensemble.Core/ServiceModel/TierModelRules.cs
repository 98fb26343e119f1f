using System.Globalization;
using Ensemble.Common;

namespace Ensemble.ServiceModel;

/// <summary>
/// What makes a tier model usable: the bands of A, B and C follow each other without gaps or overlaps,
/// so every value belongs to exactly one tier's band (or to none, below C). Each message names the
/// field as it appears in the settings document (e.g. <c>tierModel.b.netWorth.below</c>) and the values.
/// </summary>
public static class TierModelRules
{
    public static Result<TierModel> Validate(TierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.RequiredCriteria is < 1 or > TierModel.CriteriaCount)
        {
            return Error.Invalid($"tierModel.requiredCriteria: must be between 1 and {TierModel.CriteriaCount}, not {model.RequiredCriteria}.");
        }

        (string Field, Func<TierBands, MoneyBand> Band)[] money =
        [
            ("netWorth", b => b.NetWorth),
            ("investableAssets", b => b.InvestableAssets),
            ("householdIncome", b => b.HouseholdIncome),
            ("initialRevenue", b => b.InitialRevenue),
            ("recurringRevenue", b => b.RecurringRevenue),
        ];
        foreach (var (field, band) in money)
        {
            if (CheckMoney(model, field, band) is { } error)
            {
                return error;
            }
        }

        (string Field, Func<TierBands, int> Min)[] counts = [("minReferralsGiven", b => b.MinReferralsGiven), ("minProducts", b => b.MinProducts)];
        foreach (var (field, min) in counts)
        {
            if (min(model.C) < 0)
            {
                return Error.Invalid($"tierModel.c.{field}: must not be negative ({min(model.C)}).");
            }

            if (min(model.A) <= min(model.B) || min(model.B) <= min(model.C))
            {
                return Error.Invalid($"tierModel.{field}: each tier must ask more than the one below (A {min(model.A)}, B {min(model.B)}, C {min(model.C)}); "
                    + "equal minimums leave the lower tier's band empty (an overlap).");
            }
        }

        return CheckAges(model) ?? (Result<TierModel>)model;
    }

    // Band i runs from its Min up to the next tier's Min. A stated Below must be exactly where the
    // tier above starts: lower leaves values in no band, higher puts them in two.
    private static Error? CheckMoney(TierModel model, string field, Func<TierBands, MoneyBand> band)
    {
        var tiers = TierModel.Tiers;
        if (band(model.C).Min < 0)
        {
            return Error.Invalid($"tierModel.c.{field}.min: must not be negative ({Money(band(model.C).Min)}).");
        }

        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var own = band(model.For(tier));
            if (own.Below is { } below && below <= own.Min)
            {
                return Error.Invalid($"tierModel.{Name(tier)}.{field}: the band ends ({Money(below)}) at or before it starts ({Money(own.Min)}).");
            }

            if (i == 0)
            {
                if (own.Below is not null)
                {
                    return Error.Invalid($"tierModel.a.{field}.below: A is the top tier and has no upper end; remove below ({Money(own.Below.Value)}).");
                }

                continue;
            }

            var aboveTier = tiers[i - 1];
            var aboveMin = band(model.For(aboveTier)).Min;
            if (aboveMin <= own.Min)
            {
                return Error.Invalid($"tierModel.{field}: {aboveTier} starts at {Money(aboveMin)}, not above {tier}'s {Money(own.Min)} — the bands overlap.");
            }

            if (own.Below is { } end && end < aboveMin)
            {
                return Error.Invalid($"tierModel.{Name(tier)}.{field}.below: {tier} ends below {Money(end)} but {aboveTier} starts at {Money(aboveMin)} — "
                    + $"values from {Money(end)} to {Money(aboveMin)} fit no tier (a gap).");
            }

            if (own.Below is { } over && over > aboveMin)
            {
                return Error.Invalid($"tierModel.{Name(tier)}.{field}.below: {tier} runs up to {Money(over)} but {aboveTier} starts at {Money(aboveMin)} — "
                    + $"values from {Money(aboveMin)} to {Money(over)} are in both (an overlap).");
            }
        }

        return null;
    }

    // Ages are ranges, not minimums: together the tiers' ranges must cover one run of ages, each age once.
    private static Error? CheckAges(TierModel model)
    {
        var ranges = new List<(ServiceTier Tier, AgeRange Range)>();
        foreach (var tier in TierModel.Tiers)
        {
            var ages = model.For(tier).Ages;
            if (ages.Count == 0)
            {
                return Error.Invalid($"tierModel.{Name(tier)}.ages: give at least one age range.");
            }

            foreach (var range in ages)
            {
                if (range.Min < 0 || range.Max < range.Min)
                {
                    return Error.Invalid($"tierModel.{Name(tier)}.ages: the range {Text(range)} is negative or ends before it starts.");
                }

                ranges.Add((tier, range));
            }
        }

        ranges.Sort((x, y) => x.Range.Min.CompareTo(y.Range.Min));
        for (var i = 1; i < ranges.Count; i++)
        {
            var (prevTier, prev) = ranges[i - 1];
            var (tier, range) = ranges[i];
            if (prev.Max is null || prev.Max >= range.Min)
            {
                return Error.Invalid($"tierModel.ages: {prevTier} {Text(prev)} and {tier} {Text(range)} overlap — an age must belong to one tier.");
            }

            if (prev.Max + 1 < range.Min)
            {
                return Error.Invalid($"tierModel.ages: between {prevTier} {Text(prev)} and {tier} {Text(range)} the ages {prev.Max + 1}–{range.Min - 1} fit no tier (a gap).");
            }
        }

        return null;
    }

    private static string Name(ServiceTier tier) => tier.ToString().ToLowerInvariant();

    private static string Text(AgeRange range) => range.Max is { } max ? $"{range.Min}–{max}" : $"{range.Min}+";

    private static string Money(decimal amount) => amount.ToString("$#,0", CultureInfo.InvariantCulture);
}
