using Ensemble.Advisory.FollowUp;
using Ensemble.Practice;

namespace Ensemble.Core.Tests.Advisory;

public sealed class FollowUpPlannerTests
{
    private static readonly IReadOnlyList<Playbook> Playbooks = Playbook.Defaults;

    [Fact]
    public void UrgentAndAdviceSensitive_IsACallFromTheWealthPartner_LeadingToAMeeting()
    {
        var plan = FollowUpPlanner.Decide(new CanvasPlace(90, 80), new FollowUpHousehold(["email"], false, true), Playbooks);

        Assert.Equal((Quadrant.UrgentAdvice, FollowUpChannel.PhoneCall, FollowUpAction.AdvisorMeeting, RoleKeys.WealthPartner),
            (plan.Quadrant, plan.Channel, plan.Action, plan.OwnerRole));
        Assert.True(plan.IsStaffTask);
    }

    [Fact]
    public void UrgentService_GoesByTheHouseholdsPreferredPushChannel_InThePlaybooksOrder()
    {
        var plan = FollowUpPlanner.Decide(new CanvasPlace(80, 20), new FollowUpHousehold(["letter", "sms"], false, false), Playbooks);

        Assert.Equal(FollowUpChannel.Sms, plan.Channel);
        Assert.Equal(FollowUpAction.SelfService, plan.Action);
        Assert.False(plan.IsStaffTask);
    }

    [Fact]
    public void NotUrgentButSensitive_GoesOnTheNextMeetingsAgenda_WhenOneIsScheduled()
    {
        Assert.Equal(FollowUpChannel.MeetingAgenda,
            FollowUpPlanner.Decide(new CanvasPlace(20, 80), new FollowUpHousehold(["portal"], false, true), Playbooks).Channel);
        Assert.Equal(FollowUpChannel.PortalNudge,
            FollowUpPlanner.Decide(new CanvasPlace(20, 80), new FollowUpHousehold(["portal"], false, false), Playbooks).Channel);
    }

    [Fact]
    public void DoNotContact_AlwaysBecomesAnInternalReview_WhateverTheQuadrant()
    {
        foreach (var place in new[] { new CanvasPlace(90, 90), new CanvasPlace(90, 10), new CanvasPlace(10, 90), new CanvasPlace(10, 10) })
        {
            var plan = FollowUpPlanner.Decide(place, new FollowUpHousehold(["email", "phone"], true, true), Playbooks);
            Assert.Equal(FollowUpChannel.InternalReview, plan.Channel);
            Assert.False(plan.Channel.ReachesClient());
        }
    }

    [Fact]
    public void AHouseholdThatAcceptsNoneOfThePlaybooksChannels_IsCalled()
    {
        var plan = FollowUpPlanner.Decide(new CanvasPlace(80, 20), new FollowUpHousehold(["portal"], false, false), Playbooks);

        Assert.Equal(FollowUpChannel.PhoneCall, plan.Channel);
        Assert.Equal(RoleKeys.ClientServiceAssociate, plan.OwnerRole);
    }

    [Fact]
    public void TheNoiseBudget_GivesEachPersonTheirHighestRankedTasksUpToTheCap_AndDigestsTheRestRanked()
    {
        var candidates = Enumerable.Range(1, 8).Select(i => new PushCandidate<string>(1, i, $"a{i}"))
            .Append(new PushCandidate<string>(2, 50, "b1"))
            .ToList();

        var (tasks, digest) = NoiseBudget.Allocate(candidates, new Dictionary<long, int> { [1] = 2 }, perPersonPerDay: 5);

        Assert.Equal(["a8", "a7", "a6", "b1"], tasks);
        Assert.Equal(["a5", "a4", "a3", "a2", "a1"], digest[1]);
        Assert.False(digest.ContainsKey(2));
    }

    [Fact]
    public void PlaybooksMissingAQuadrantOrNamingAnUnknownRole_AreRefused_NamingTheField()
    {
        var playbooks = Playbook.Defaults.Where(p => p.Quadrant != Quadrant.SelfService)
            .Select(p => p.Quadrant == Quadrant.UrgentAdvice ? p with { CallerRole = "adviser" } : p)
            .ToList();

        var problems = Playbook.Check(playbooks, RoleKeys.Defaults.Select(r => r.Key));

        Assert.Contains(problems, p => p.StartsWith("playbooks.urgent-advice.callerRole: 'adviser' is not a role of the firm", StringComparison.Ordinal));
        Assert.Contains("playbooks.self-service: no playbook for this quadrant; give exactly one", problems);
    }
}
