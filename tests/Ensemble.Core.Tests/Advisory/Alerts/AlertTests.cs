using Ensemble.Advisory;
using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Core.Tests.Advisory.Alerts;

public sealed class AlertTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 24, 15, 0);
    private static readonly LocalDate Today = new(2026, 11, 24);

    [Theory]
    [InlineData(AdvisoryFramework.CouldNotEvaluate, true, 0, false, -1, AlertAction.CouldNotEvaluate)]
    [InlineData(AdvisoryFramework.NotRaised, false, -1, false, -1, AlertAction.None)]
    [InlineData(AdvisoryFramework.NotRaised, true, 0, false, -1, AlertAction.Resolve)]
    [InlineData(AdvisoryFramework.NotRaised, true, 0, true, -1, AlertAction.None)]
    [InlineData(AdvisoryFramework.NotRaised, false, -1, false, 0, AlertAction.Release)]
    [InlineData(1, false, -1, false, -1, AlertAction.Raise)]
    [InlineData(1, true, 0, false, -1, AlertAction.None)]
    [InlineData(2, true, 0, false, -1, AlertAction.MoveVariant)]
    [InlineData(2, true, 0, true, -1, AlertAction.None)]
    [InlineData(1, true, -1, false, -1, AlertAction.MoveVariant)]
    [InlineData(1, false, -1, false, 0, AlertAction.None)]
    [InlineData(2, false, -1, false, 0, AlertAction.Raise)]
    public void Reconciler_DecidesFromTheOutcomeAndTheOpenAlert(int outcome, bool hasOpen, int openVariant, bool snoozed, int heldVariant, AlertAction expected) =>
        Assert.Equal(expected, AlertReconciler.Decide(outcome, hasOpen, openVariant, snoozed, heldVariant));

    [Fact]
    public void Lifecycle_MovesForwardOnly_AndEveryMoveIsAChangeWithItsStatuses()
    {
        var alert = New();

        var acknowledged = alert.Acknowledge(At, "alice");
        var followUp = alert.StartFollowUp(At, "alice", "  Calling Monday. ");
        var back = alert.Acknowledge(At, "alice");
        var resolved = alert.Resolve(At, "dan", "Done.");

        Assert.Equal((AlertStatus.New, AlertStatus.Acknowledged), (acknowledged.Value.From, acknowledged.Value.To));
        Assert.Equal((AlertStatus.Acknowledged, AlertStatus.InFollowUp, "Calling Monday."), (followUp.Value.From, followUp.Value.To, followUp.Value.Note));
        Assert.Equal(ErrorKind.Conflict, back.Error!.Kind);
        Assert.Equal((AlertStatus.Resolved, AlertResolution.ByPerson, true), (alert.Status, alert.Resolution, alert.HoldsUntilCleared));
        Assert.Equal(AlertChange.Resolved, resolved.Value.What);
        Assert.Equal(ErrorKind.Conflict, alert.Snooze(Today.PlusDays(3), Today, At, "alice", null).Error!.Kind);
        Assert.Equal(3, alert.Version);
    }

    [Fact]
    public void Snooze_HidesUntilItsDay_KeepsTheStatus_AndActingBringsItBack()
    {
        var alert = New();
        Assert.Equal(ErrorKind.Invalid, alert.Snooze(Today, Today, At, "alice", null).Error!.Kind);

        var snoozed = alert.Snooze(Today.PlusDays(7), Today, At, "alice", "Travelling.");

        Assert.Equal("until 2026-12-01: Travelling.", snoozed.Value.Note);
        Assert.True(alert.IsSnoozedOn(Today.PlusDays(6)));
        Assert.False(alert.IsSnoozedOn(Today.PlusDays(7)));
        Assert.Equal(AlertStatus.New, alert.Status);
        alert.Acknowledge(At, "alice");
        Assert.Null(alert.SnoozedUntil);
    }

    [Fact]
    public void Resolve_NeedsANote()
    {
        var alert = New();

        var refused = alert.Resolve(At, "alice", "   ");

        Assert.StartsWith("note:", refused.Error!.Message, StringComparison.Ordinal);
        Assert.True(alert.IsOpen);
    }

    [Fact]
    public void Explanation_RoundTripsWithFactLabels()
    {
        var framework = BuiltInFramework.Framework;
        var rule = framework.Rules.Select((r, i) => (r, i)).First(x => x.r.Key == "investments.concentration").i;
        var sheet = FactSheet.Empty(framework.Catalog);
        sheet[framework.Catalog.Get("portfolio.largest_position").Ordinal] = 42;

        var json = AlertExplanation.ToJson(framework.Explain(rule, sheet, framework.DayOf(Today)));
        var values = AlertExplanation.Read(json, framework.Catalog);

        var value = Assert.Single(values);
        Assert.Equal(("portfolio.largest_position", "Largest single holding, share of the portfolio", "42%"), (value.Name, value.Label, value.Value));
        Assert.Empty(AlertExplanation.Read("not json", framework.Catalog));
    }

    private static Alert New() => new(new HouseholdId(1), "test.rule", "only", "test.rule", "{}", At);
}
