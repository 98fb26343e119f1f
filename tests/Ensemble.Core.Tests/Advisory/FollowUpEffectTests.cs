using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;

namespace Ensemble.Core.Tests.Advisory;

public sealed class FollowUpEffectTests
{
    private static readonly FollowUpSettings Settings = FollowUpSettings.Default;

    [Fact]
    public void APassiveTypeThatKeepsComingBackUnanswered_IsSuggestedToMoveUpInUrgency()
    {
        var effects = new[] { new ChannelEffect("estate.will", FollowUpChannel.MeetingAgenda, 20, 20, 4, 10, 2, 30, 5) };

        var suggestion = Assert.Single(FollowUpEffect.Suggest(effects, Places(("estate.will", 30, 80)), Settings));

        Assert.Equal((30.0, 65.0, 80.0), (suggestion.From.Urgency, suggestion.To.Urgency, suggestion.To.Sensitivity));
        Assert.Contains("50% come back", suggestion.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUrgentTypeWhoseAlertsClearByThemselvesQuickly_IsSuggestedToMoveDown()
    {
        var effects = new[] { new ChannelEffect("cash.excess", FollowUpChannel.PhoneCall, 10, 10, 2, 10, 8, 3, 0) };

        var suggestion = Assert.Single(FollowUpEffect.Suggest(effects, Places(("cash.excess", 70, 30)), Settings));

        Assert.Equal(35, suggestion.To.Urgency);
    }

    [Fact]
    public void ASelfServiceTypeClientsNeitherAnswerNorFix_IsSuggestedToNeedTheAdvisor()
    {
        var effects = new[] { new ChannelEffect("data.stale", FollowUpChannel.PortalNudge, 10, 10, 1, 8, 0, 20, 4) };

        var suggestions = FollowUpEffect.Suggest(effects, Places(("data.stale", 20, 20)), Settings);

        Assert.Contains(suggestions, s => s.To.Sensitivity == 65);
    }

    [Fact]
    public void AFewAlerts_OrATypeThatWorks_MakeNoSuggestion()
    {
        var few = new[] { new ChannelEffect("estate.will", FollowUpChannel.MeetingAgenda, 3, 3, 0, 3, 0, 30, 3) };
        var working = new[] { new ChannelEffect("estate.will", FollowUpChannel.MeetingAgenda, 20, 20, 16, 18, 2, 30, 1) };

        Assert.Empty(FollowUpEffect.Suggest(few, Places(("estate.will", 30, 80)), Settings));
        Assert.Empty(FollowUpEffect.Suggest(working, Places(("estate.will", 30, 80)), Settings));
    }

    [Fact]
    public void Measure_CountsOnlyAlertsOldEnoughToJudge_AndResponsesWithinTheWindow()
    {
        var now = NodaTime.Instant.FromUtc(2026, 6, 1, 0, 0);
        NodaTime.Instant Ago(int days) => now - NodaTime.Duration.FromDays(days);
        var outcomes = new[]
        {
            new AlertOutcome("t", FollowUpChannel.Email, Ago(30), Ago(25), Ago(20), AlertResolution.ByPerson, null),
            new AlertOutcome("t", FollowUpChannel.Email, Ago(30), Ago(5), Ago(10), AlertResolution.ConditionCleared, Ago(1)),
            new AlertOutcome("t", FollowUpChannel.Email, Ago(3), Ago(2), null, null, null),
            new AlertOutcome("t", FollowUpChannel.Email, Ago(3), null, null, null, null),
        };

        var effect = Assert.Single(FollowUpEffect.Measure(outcomes, now, Settings));

        Assert.Equal((4, 3, 2, 2, 1, 15.0, 1), (effect.Raised, effect.Measured, effect.Responded, effect.Resolved, effect.ResolvedByThemselves, effect.MedianDaysToResolution, effect.Reopened));
    }

    private static Dictionary<string, CanvasPosition> Places(params (string Key, double Urgency, double Sensitivity)[] places) =>
        places.ToDictionary(p => p.Key, p => new CanvasPosition(p.Urgency, p.Sensitivity));
}
