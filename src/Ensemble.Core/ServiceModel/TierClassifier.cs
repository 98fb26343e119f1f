using Ensemble.Households;

namespace Ensemble.ServiceModel;

/// <summary>The tier a household's facts give and which criteria were unknown, as a bit per <see cref="TierCriterion"/>.</summary>
public readonly record struct TierOutcome(ServiceTier Tier, int MissingMask)
{
    public IReadOnlyList<TierCriterion> Missing
    {
        get
        {
            var list = new List<TierCriterion>();
            foreach (var criterion in Enum.GetValues<TierCriterion>())
            {
                if ((MissingMask & (1 << (int)criterion)) != 0)
                {
                    list.Add(criterion);
                }
            }

            return list;
        }
    }
}

/// <summary>
/// The same decision as <see cref="Tiering.Decide"/>, without the explanation: no strings, no lists, so a
/// whole book of clients is tiered in well under a second. Explanations are built only when someone asks.
/// </summary>
public static class TierClassifier
{
    private const int None = 3;

    public static TierOutcome Classify(HouseholdFacts facts, TierModel model)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(model);
        int a = 0, b = 0, c = 0, missing = 0;

        // Each criterion but age supports its best tier and every tier below it.
        void Vote(int best)
        {
            if (best <= 0)
            {
                a++;
            }

            if (best <= 1)
            {
                b++;
            }

            if (best <= 2)
            {
                c++;
            }
        }

        void Money(TierCriterion criterion, decimal? value, decimal minA, decimal minB, decimal minC)
        {
            if (value is not decimal v)
            {
                missing |= 1 << (int)criterion;
                return;
            }

            Vote(v >= minA ? 0 : v >= minB ? 1 : v >= minC ? 2 : None);
        }

        void Count(TierCriterion criterion, int? value, int minA, int minB, int minC)
        {
            if (value is not int v)
            {
                missing |= 1 << (int)criterion;
                return;
            }

            Vote(v >= minA ? 0 : v >= minB ? 1 : v >= minC ? 2 : None);
        }

        Money(TierCriterion.NetWorth, facts.NetWorth, model.A.NetWorth.Min, model.B.NetWorth.Min, model.C.NetWorth.Min);
        Money(TierCriterion.InvestableAssets, facts.InvestableAssets, model.A.InvestableAssets.Min, model.B.InvestableAssets.Min, model.C.InvestableAssets.Min);
        Money(TierCriterion.HouseholdIncome, facts.HouseholdIncome, model.A.HouseholdIncome.Min, model.B.HouseholdIncome.Min, model.C.HouseholdIncome.Min);
        Money(TierCriterion.InitialRevenue, facts.InitialRevenue, model.A.InitialRevenue.Min, model.B.InitialRevenue.Min, model.C.InitialRevenue.Min);
        Money(TierCriterion.RecurringRevenue, facts.RecurringRevenue, model.A.RecurringRevenue.Min, model.B.RecurringRevenue.Min, model.C.RecurringRevenue.Min);
        Count(TierCriterion.ReferralsGiven, facts.ReferralsGiven, model.A.MinReferralsGiven, model.B.MinReferralsGiven, model.C.MinReferralsGiven);
        Count(TierCriterion.Products, facts.Products, model.A.MinProducts, model.B.MinProducts, model.C.MinProducts);

        // Age supports exactly the tiers whose age bands contain it.
        if (facts.PrimaryAge is int age)
        {
            a += InAny(model.A.Ages, age);
            b += InAny(model.B.Ages, age);
            c += InAny(model.C.Ages, age);
        }
        else
        {
            missing |= 1 << (int)TierCriterion.Age;
        }

        var required = model.RequiredCriteria;
        var tier = a >= required ? ServiceTier.A : b >= required ? ServiceTier.B : c >= required ? ServiceTier.C : ServiceTier.Unsegmented;
        return new TierOutcome(tier, missing);
    }

    private static int InAny(IReadOnlyList<AgeRange> ranges, int age)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Contains(age))
            {
                return 1;
            }
        }

        return 0;
    }
}
