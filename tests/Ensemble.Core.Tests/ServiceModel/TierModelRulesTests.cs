using Ensemble.ServiceModel;

namespace Ensemble.Core.Tests.ServiceModel;

public sealed class TierModelRulesTests
{
    private static readonly TierModel Seed = TierModel.Default;

    [Fact]
    public void SeedModel_HasNoGapsOrOverlaps() => Assert.True(TierModelRules.Validate(Seed).IsSuccess);

    [Fact]
    public void MoneyBand_EndingBelowWhereTheTierAboveStarts_IsRefusedAsAGapNamingTheField()
    {
        var model = Seed with { B = Seed.B with { NetWorth = new MoneyBand(500_000m, 1_500_000m) } };

        var error = TierModelRules.Validate(model).Error!;

        Assert.Contains("tierModel.b.netWorth.below", error.Message, StringComparison.Ordinal);
        Assert.Contains("gap", error.Message, StringComparison.Ordinal);
        Assert.Contains("$1,500,000 to $2,000,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoneyBand_RunningPastWhereTheTierAboveStarts_IsRefusedAsAnOverlap()
    {
        var model = Seed with { C = Seed.C with { HouseholdIncome = new MoneyBand(150_000m, 300_000m) } };

        var error = TierModelRules.Validate(model).Error!;

        Assert.Contains("tierModel.c.householdIncome.below", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoTiers_StartingAtTheSameAmount_OverlapAndAreRefused()
    {
        var model = Seed with { B = Seed.B with { InvestableAssets = new MoneyBand(150_000m, 1_000_000m) } };

        var error = TierModelRules.Validate(model).Error!;

        Assert.Contains("investableAssets", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopTier_WithAnUpperEnd_IsRefused()
    {
        var model = Seed with { A = Seed.A with { RecurringRevenue = new MoneyBand(10_000m, 50_000m) } };

        Assert.Contains("tierModel.a.recurringRevenue.below", TierModelRules.Validate(model).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgeRanges_ThatOverlap_AreRefusedNamingBothTiers()
    {
        var model = Seed with { C = Seed.C with { Ages = [new AgeRange(28, 36)] } };

        var error = TierModelRules.Validate(model).Error!;

        Assert.Contains("C 28–36 and B 35–44 overlap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgeRanges_WithAgesInNoTier_AreRefusedNamingTheAges()
    {
        var model = Seed with { A = Seed.A with { Ages = [new AgeRange(46, 60)] } };

        var error = TierModelRules.Validate(model).Error!;

        Assert.Contains("ages 45–45 fit no tier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountMinimums_ThatAreEqual_LeaveTheLowerBandEmptyAndAreRefused()
    {
        var model = Seed with { C = Seed.C with { MinProducts = 3 } };

        Assert.Contains("tierModel.minProducts", TierModelRules.Validate(model).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirmThresholds_MovedTogether_AreAccepted()
    {
        var model = Seed with
        {
            A = Seed.A with { NetWorth = new MoneyBand(3_000_000m) },
            B = Seed.B with { NetWorth = new MoneyBand(750_000m, 3_000_000m) },
            C = Seed.C with { NetWorth = new MoneyBand(200_000m, 750_000m) },
            RequiredCriteria = 4,
        };

        Assert.True(TierModelRules.Validate(model).IsSuccess);
    }
}
