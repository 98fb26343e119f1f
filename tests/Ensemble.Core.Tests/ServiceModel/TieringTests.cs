using Ensemble.Households;
using Ensemble.ServiceModel;

namespace Ensemble.Tests.ServiceModel;

public sealed class TieringTests
{
    internal static HouseholdFacts Facts(
        decimal? netWorth = null,
        decimal? investable = null,
        decimal? income = null,
        int? age = null,
        decimal? initialRevenue = null,
        decimal? recurringRevenue = null,
        int? referrals = null,
        int? products = null) =>
        HouseholdFacts.None with
        {
            NetWorth = netWorth,
            InvestableAssets = investable,
            HouseholdIncome = income,
            PrimaryAge = age,
            InitialRevenue = initialRevenue,
            RecurringRevenue = recurringRevenue,
            ReferralsGiven = referrals,
            Products = products,
        };

    /// <summary>A on net worth, assets, income, age and initial revenue; B on recurring revenue; C on referrals and products.</summary>
    internal static readonly HouseholdFacts FiveAs = Facts(3_200_000m, 1_500_000m, 500_000m, 50, 12_000m, 6_000m, 1, 2);

    /// <summary>A on four criteria, age 40 and recurring revenue add B: six support B or better.</summary>
    internal static readonly HouseholdFacts FourAsSixBs = Facts(3_200_000m, 1_200_000m, 450_000m, 40, 12_000m, 6_000m, 1, 2);

    private static TierDecision Decide(HouseholdFacts facts) => Tiering.Decide(facts, TierModel.Default);

    private static CriterionLine Line(TierDecision decision, TierCriterion criterion) =>
        decision.Lines.Single(l => l.Criterion == criterion);

    [Fact]
    public void Household_MeetingAOnFiveCriteria_IsA()
    {
        var decision = Decide(FiveAs);

        Assert.Equal(ServiceTier.A, decision.Tier);
        Assert.Equal(5, decision.CountFor(ServiceTier.A));
        Assert.Empty(decision.Missing);
    }

    [Fact]
    public void Household_WithAOnFourAndBOrBetterOnSix_IsB()
    {
        var decision = Decide(FourAsSixBs);

        Assert.Equal(ServiceTier.B, decision.Tier);
        Assert.Equal(4, decision.CountFor(ServiceTier.A));
        Assert.Equal(6, decision.CountFor(ServiceTier.B));
        Assert.Contains("A: 4 of 8 criteria (needs 5); B: 6 of 8 → tier B", decision.Explain());
    }

    [Fact]
    public void MoneyAboveABand_SupportsEveryTierBelowIt()
    {
        var line = Line(Decide(FiveAs), TierCriterion.NetWorth);

        Assert.Equal([ServiceTier.A, ServiceTier.B, ServiceTier.C], line.Supports);
        Assert.Equal("Net worth $3,200,000 — supports A", line.Explain());
    }

    [Theory]
    [InlineData("2000000", ServiceTier.A)]
    [InlineData("1999999", ServiceTier.B)]
    [InlineData("500000", ServiceTier.B)]
    [InlineData("499999.99", ServiceTier.C)]
    [InlineData("150000", ServiceTier.C)]
    public void NetWorthBandEdges_BelongToTheTierTheyStart(string netWorth, ServiceTier expected)
    {
        var line = Line(Decide(Facts(netWorth: decimal.Parse(netWorth, System.Globalization.CultureInfo.InvariantCulture))), TierCriterion.NetWorth);

        Assert.Equal(expected, line.BestTier);
    }

    [Fact]
    public void NetWorthBelowC_SupportsNoTier()
    {
        var line = Line(Decide(Facts(netWorth: 149_999m)), TierCriterion.NetWorth);

        Assert.Null(line.BestTier);
        Assert.False(line.IsMissing);
        Assert.Equal("Net worth $149,999 — supports no tier", line.Explain());
    }

    [Theory]
    [InlineData(3, ServiceTier.A)]
    [InlineData(2, ServiceTier.B)]
    [InlineData(1, ServiceTier.C)]
    public void ReferralCounts_AreMinimums(int referrals, ServiceTier expected)
    {
        Assert.Equal(expected, Line(Decide(Facts(referrals: referrals)), TierCriterion.ReferralsGiven).BestTier);
    }

    [Fact]
    public void Age61_SupportsBNotA()
    {
        var line = Line(Decide(Facts(age: 61)), TierCriterion.Age);

        Assert.Equal([ServiceTier.B], line.Supports);
    }

    [Theory]
    [InlineData(45, ServiceTier.A)]
    [InlineData(60, ServiceTier.A)]
    [InlineData(44, ServiceTier.B)]
    [InlineData(35, ServiceTier.B)]
    [InlineData(88, ServiceTier.B)]
    [InlineData(34, ServiceTier.C)]
    [InlineData(28, ServiceTier.C)]
    public void Age_SupportsOnlyTheTierWhoseRangeContainsIt(int age, ServiceTier expected)
    {
        Assert.Equal([expected], Line(Decide(Facts(age: age)), TierCriterion.Age).Supports);
    }

    [Fact]
    public void Age27_SupportsNothing()
    {
        var line = Line(Decide(Facts(age: 27)), TierCriterion.Age);

        Assert.Empty(line.Supports);
        Assert.Equal("Age 27 — supports no tier", line.Explain());
    }

    [Fact]
    public void HouseholdWithOnlyFourKnownFacts_IsUnsegmented_AndNamesTheMissingOnes()
    {
        var decision = Decide(Facts(netWorth: 3_000_000m, investable: 2_000_000m, income: 600_000m, age: 50));

        Assert.Equal(ServiceTier.Unsegmented, decision.Tier);
        Assert.Equal(4, decision.CountFor(ServiceTier.A));
        Assert.Equal(
            [TierCriterion.InitialRevenue, TierCriterion.RecurringRevenue, TierCriterion.ReferralsGiven, TierCriterion.Products],
            decision.Missing);
        var explanation = decision.Explain();
        Assert.Contains("Initial revenue unknown — missing", explanation);
        Assert.Contains("Products unknown — missing", explanation);
        Assert.Contains("Missing facts: initial revenue, recurring revenue, referrals given, products", explanation);
    }

    [Fact]
    public void MissingFact_IsListed_AndCountsForNoTier()
    {
        // Without income: A 4 (age 50 supports A only), B 4, C 6 — the unknown income drops the household to C.
        var decision = Decide(FiveAs with { HouseholdIncome = null });

        Assert.Equal(ServiceTier.C, decision.Tier);
        Assert.Equal([4, 4, 6], decision.Counts.Select(c => c.Supporting));
        Assert.Equal([TierCriterion.HouseholdIncome], decision.Missing);
        Assert.True(Line(decision, TierCriterion.HouseholdIncome).IsMissing);
        Assert.Contains("Household income unknown — missing", decision.Explain());
    }

    [Fact]
    public void AllCLevelFacts_AreC()
    {
        var decision = Decide(Facts(200_000m, 150_000m, 180_000m, 30, 1_000m, 500m, 1, 2));

        Assert.Equal(ServiceTier.C, decision.Tier);
        Assert.Equal([0, 0, 8], decision.Counts.Select(c => c.Supporting));
        Assert.Contains("A: 0 of 8 criteria (needs 5); B: 0 of 8; C: 8 of 8 → tier C", decision.Explain());
    }

    [Fact]
    public void BelowCEverywhere_IsUnsegmented()
    {
        var decision = Decide(Facts(100_000m, 100_000m, 100_000m, 25, 900m, 400m, 0, 1));

        Assert.Equal(ServiceTier.Unsegmented, decision.Tier);
        Assert.Empty(decision.Missing);
        Assert.Contains("A: 0 of 8 criteria (needs 5); B: 0 of 8; C: 0 of 8 → Unsegmented (no tier has 5 supporting criteria)", decision.Explain());
    }

    [Fact]
    public void FirmRequiringFourCriteria_PutsTheFourAHouseholdInA()
    {
        var model = TierModel.Default with { RequiredCriteria = 4 };

        Assert.Equal(ServiceTier.A, Tiering.Decide(FourAsSixBs, model).Tier);
    }

    [Fact]
    public void FirmRaisingTheANetWorthBar_MovesTheHouseholdToB()
    {
        var model = TierModel.Default with { A = TierModel.Default.A with { NetWorth = new MoneyBand(5_000_000m) } };

        var decision = Tiering.Decide(FiveAs, model);

        Assert.Equal(ServiceTier.B, decision.Tier);
        Assert.Equal("Net worth $3,200,000 — supports B", Line(decision, TierCriterion.NetWorth).Explain());
    }

    [Fact]
    public void Explain_ListsAllEightCriteria_InOrder()
    {
        var explanation = Decide(FiveAs).Explain();

        string[] labels = ["Net worth", "Investable assets", "Household income", "Age", "Initial revenue", "Recurring revenue", "Referrals given", "Products"];
        Assert.Equal(labels.Length, Enum.GetValues<TierCriterion>().Length);
        for (var i = 0; i < labels.Length; i++)
        {
            Assert.StartsWith(labels[i] + " ", explanation[i], StringComparison.Ordinal);
        }

        Assert.Equal("A: 5 of 8 criteria (needs 5) → tier A", explanation[8]);
    }

    [Fact]
    public void DefaultModel_CarriesTheSeedThresholds()
    {
        var model = TierModel.Default;

        Assert.Equal(5, model.RequiredCriteria);
        Assert.Equal([2_000_000m, 500_000m, 150_000m], new[] { model.A, model.B, model.C }.Select(b => b.NetWorth.Min));
        Assert.Equal([1_000_000m, 500_000m, 150_000m], new[] { model.A, model.B, model.C }.Select(b => b.InvestableAssets.Min));
        Assert.Equal([400_000m, 250_000m, 150_000m], new[] { model.A, model.B, model.C }.Select(b => b.HouseholdIncome.Min));
        Assert.Equal([10_000m, 5_500m, 1_000m], new[] { model.A, model.B, model.C }.Select(b => b.InitialRevenue.Min));
        Assert.Equal([10_000m, 5_500m, 500m], new[] { model.A, model.B, model.C }.Select(b => b.RecurringRevenue.Min));
        Assert.Equal([3, 2, 1], new[] { model.A, model.B, model.C }.Select(b => b.MinReferralsGiven));
        Assert.Equal([4, 3, 2], new[] { model.A, model.B, model.C }.Select(b => b.MinProducts));
        Assert.True(model.Validate().IsSuccess);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void FirmModel_WithImpossibleRequiredCount_IsRefused(int required)
    {
        var result = (TierModel.Default with { RequiredCriteria = required }).Validate();

        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void FirmModel_WhereBAsksMoreThanA_IsRefused()
    {
        var model = TierModel.Default with { B = TierModel.Default.B with { NetWorth = new MoneyBand(3_000_000m) } };

        var result = model.Validate();

        Assert.False(result.IsSuccess);
        Assert.Contains("netWorth", result.Error!.Message, StringComparison.Ordinal);
    }
}
