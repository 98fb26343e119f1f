using Ensemble.Households;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;

namespace Ensemble.Tests.Processes.Templates;

/// <summary>The <c>tier</c> fact and the <c>recent_life_event</c> function of step conditions.</summary>
public sealed class TierConditionTests
{
    private static HouseholdFacts Tiered(ServiceTier? tier, params LifeEventKind[] recent) =>
        HouseholdFacts.None with { Tier = tier, RecentLifeEvents = recent.ToHashSet() };

    private static FactCondition Parse(string text)
    {
        Assert.True(FactCondition.TryParse(text, out var condition, out var errors), string.Join("; ", errors));
        return condition;
    }

    private static ConditionError ParseError(string text)
    {
        Assert.False(FactCondition.TryParse(text, out _, out var errors));
        return Assert.Single(errors);
    }

    [Theory]
    [InlineData("tier = 'A'", ServiceTier.A, true)]
    [InlineData("tier == 'A'", ServiceTier.B, false)]
    [InlineData("tier = 'b'", ServiceTier.B, true)]
    [InlineData("tier != 'A'", ServiceTier.C, true)]
    [InlineData("tier != 'C'", ServiceTier.C, false)]
    [InlineData("tier = 'Unsegmented'", ServiceTier.Unsegmented, true)]
    [InlineData("tier = 'unsegmented'", ServiceTier.Unsegmented, true)]
    public void Tier_ComparesTheTierInForce(string text, ServiceTier tier, bool expected) =>
        Assert.Equal(expected, Parse(text).IsMetBy(Tiered(tier)));

    [Theory]
    [InlineData("tier = 'A'", false)]
    [InlineData("tier != 'A'", false)]
    [InlineData("not (tier = 'A')", true)]
    [InlineData("not (tier = 'A' or tier = 'B')", true)]
    public void UnknownTier_MakesEveryComparisonFalse_SoNotOfItHolds(string text, bool expected) =>
        Assert.Equal(expected, Parse(text).IsMetBy(Tiered(null)));

    [Fact]
    public void PerTierSteps_GiveEveryHouseholdExactlyOneOwner_AndALossAlwaysTheWealthPartner()
    {
        var partner = Parse("tier = 'A' or recent_life_event('loss')");
        var advisor = Parse("tier = 'B' and not recent_life_event('loss')");
        var coordinator = Parse("not (tier = 'A' or tier = 'B' or recent_life_event('loss'))");
        string Owner(HouseholdFacts f) => string.Join(",", new[] { ("partner", partner), ("advisor", advisor), ("coordinator", coordinator) }
            .Where(s => s.Item2.IsMetBy(f)).Select(s => s.Item1));

        Assert.Equal("partner", Owner(Tiered(ServiceTier.A)));
        Assert.Equal("advisor", Owner(Tiered(ServiceTier.B)));
        Assert.Equal("coordinator", Owner(Tiered(ServiceTier.C)));
        Assert.Equal("coordinator", Owner(Tiered(ServiceTier.Unsegmented)));
        Assert.Equal("coordinator", Owner(Tiered(null)));
        Assert.Equal("partner", Owner(Tiered(ServiceTier.B, LifeEventKind.Loss)));
        Assert.Equal("partner", Owner(Tiered(null, LifeEventKind.Loss)));
        Assert.Equal("advisor", Owner(Tiered(ServiceTier.B, LifeEventKind.NewJob)));
    }

    [Theory]
    [InlineData("recent_life_event('new-job')", true)]
    [InlineData("recent_life_event('New Job')", true)]
    [InlineData("recent_life_event('retirement')", false)]
    [InlineData("recent_life_event('loss') = false", true)]
    public void RecentLifeEvent_IsTrueForKindsRecordedLately(string text, bool expected) =>
        Assert.Equal(expected, Parse(text).IsMetBy(Tiered(ServiceTier.C, LifeEventKind.NewJob)));

    [Theory]
    [InlineData("tier = A", 7, "put the tier in quotes: tier = 'A'")]
    [InlineData("tier = 'D'", 7, "\"D\" is not a tier; use 'A', 'B', 'C' or 'Unsegmented'")]
    [InlineData("tier >= 'B'", 5, "tier can only be compared with = or !=")]
    [InlineData("tier = 1", 7, "tier is compared with 'A', 'B', 'C' or 'Unsegmented'")]
    [InlineData("teir = 'A'", 0, "did you mean \"tier\"")]
    [InlineData("recent_life_event('lost')", 18, "did you mean \"loss\"")]
    public void BadTierOrLifeEvent_IsRefusedWithTheOffsetAndAHint(string text, int offset, string message)
    {
        var error = ParseError(text);

        Assert.Equal(offset, error.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_NamesTheFactsAndFunctionsUsed()
    {
        var condition = Parse("tier = 'A' and (has_tag('vip') or net_worth >= 2m)");

        Assert.Equal(["has_tag", "net_worth", "tier"], condition.Reads.Order(StringComparer.Ordinal));
        Assert.Empty(Parse("true").Reads);
    }
}
