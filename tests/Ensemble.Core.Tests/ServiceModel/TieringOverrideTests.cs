using Ensemble.Common;
using Ensemble.ServiceModel;
using NodaTime;

namespace Ensemble.Tests.ServiceModel;

public sealed class TieringOverrideTests
{
    private static readonly LocalDate Until = new(2026, 12, 31);

    private static TierDecision ComputedB => Tiering.Decide(TieringTests.FourAsSixBs, TierModel.Default);

    private static TierOverride ToA(LocalDate? until) => TierOverride.Create(ServiceTier.A, "Parents are A clients", until).Value;

    [Fact]
    public void Override_AppliesWithItsReason_AndKeepsTheComputedExplanation()
    {
        var decision = Tiering.ApplyOverride(ComputedB, ToA(Until), new LocalDate(2026, 6, 1));

        Assert.Equal(ServiceTier.A, decision.Tier);
        Assert.Equal(ServiceTier.B, decision.Computed);
        var explanation = decision.Explain();
        Assert.Contains("A: 4 of 8 criteria (needs 5); B: 6 of 8 → tier B", explanation);
        Assert.Equal("Computed tier B; overridden to A by hand: Parents are A clients (until 2026-12-31)", explanation[^1]);
    }

    [Fact]
    public void Override_WithoutEndDate_AppliesAndSaysNoDate()
    {
        var decision = Tiering.ApplyOverride(ComputedB, ToA(null), new LocalDate(2030, 1, 1));

        Assert.Equal(ServiceTier.A, decision.Tier);
        Assert.EndsWith("by hand: Parents are A clients", decision.OverrideNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_StillAppliesOnItsLastDay()
    {
        Assert.Equal(ServiceTier.A, Tiering.ApplyOverride(ComputedB, ToA(Until), Until).Tier);
    }

    [Fact]
    public void ExpiredOverride_IsIgnored_AndSaysSo()
    {
        var decision = Tiering.ApplyOverride(ComputedB, ToA(Until), Until.PlusDays(1));

        Assert.Equal(ServiceTier.B, decision.Tier);
        Assert.Equal("Override to A expired on 2026-12-31 — ignored; computed tier B stands", decision.Explain()[^1]);
    }

    [Fact]
    public void NoOverride_LeavesTheDecisionAsComputed()
    {
        var computed = ComputedB;

        Assert.Same(computed, Tiering.ApplyOverride(computed, null, Until));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Override_WithoutReason_IsRefused(string? reason)
    {
        var result = TierOverride.Create(ServiceTier.A, reason, Until);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
    }
}
