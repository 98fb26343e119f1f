using Ensemble.Households;
using Ensemble.ServiceModel;

namespace Ensemble.Core.Tests.ServiceModel;

public sealed class TierClassifierTests
{
    [Fact]
    public void FastDecision_AgreesWithTheExplainedOne_OnTenThousandRandomHouseholds()
    {
        var random = new Random(3);
        for (var i = 0; i < 10_000; i++)
        {
            decimal? Amount(int max) => random.Next(8) == 0 ? null : random.Next(0, max);
            var facts = new HouseholdFacts(
                LifecycleStage.Client, Amount(4_000_000), Amount(2_000_000), Amount(700_000), Amount(15_000), Amount(15_000),
                random.Next(8) == 0 ? null : random.Next(0, 5), random.Next(8) == 0 ? null : random.Next(0, 7),
                random.Next(8) == 0 ? null : random.Next(20, 90), 2, 0,
                new HashSet<string>(), new HashSet<string>(), new HashSet<string>());

            var fast = TierClassifier.Classify(facts, TierModel.Default);
            var explained = Tiering.Decide(facts, TierModel.Default);

            Assert.Equal(explained.Computed, fast.Tier);
            Assert.Equal(explained.Missing, fast.Missing.ToList());
        }
    }
}
