using Ensemble.Advisory.FollowUp;
using Ensemble.Practice;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>Each quadrant's route, end to end: the advisory run raises the alert, the runner follows it up.</summary>
public sealed partial class FollowUpRunnerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task UrgentAndAdviceSensitive_StartsAnAdviceMeeting_WhoseFirstTaskIsTheWealthPartnersCall(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.ContactAsync(1, false, "email");
        await firm.HoldingsAsync(1, cashShare: 5, will: false);

        var report = await firm.RunBothAsync();

        var followUp = await firm.FollowUpOfAsync(1, "test.will");
        Assert.Equal((Quadrant.UrgentAdvice, FollowUpChannel.PhoneCall, FollowUpAction.AdvisorMeeting, FollowUpStatus.TaskStarted),
            (followUp.Quadrant, followUp.Channel, followUp.Action, followUp.Status));
        Assert.Equal((RoleKeys.WealthPartner, firm.Staff["dan"]), (followUp.OwnerRole, followUp.AssigneeId));
        Assert.Equal((FollowUpRoute.AdviceMeetingTemplate, RoleKeys.WealthPartner, firm.Staff["dan"]), await firm.FirstTaskAsync(followUp));
        Assert.Equal((1, 1, 0), (report.Decided, report.TasksStarted, report.ToDigest));
        Assert.Contains("books an advice meeting", followUp.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task UrgentService_SendsTheApprovedMessageByThePreferredPushChannel_OrStartsACallForTheClientServiceAssociate(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await firm.ApproveMessageAsync("test.cash");
        await firm.ContactAsync(1, false, "letter", "sms");
        await firm.ReachableAsync(1, "Ada", null, "1 Main St\nSpringfield");
        await firm.ContactAsync(2, false);
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.HoldingsAsync(2, cashShare: 40, will: true);

        var report = await firm.RunBothAsync();

        var messaged = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((Quadrant.UrgentService, FollowUpChannel.Letter, FollowUpStatus.QueuedForClient), (messaged.Quadrant, messaged.Channel, messaged.Status));
        Assert.Null(messaged.InstanceId);
        var called = await firm.FollowUpOfAsync(2, "test.cash");
        Assert.Equal((FollowUpChannel.PhoneCall, FollowUpStatus.TaskStarted), (called.Channel, called.Status));
        Assert.Equal((FollowUpRoute.CallTemplate, RoleKeys.ClientServiceAssociate, firm.Staff["carol"]), await firm.FirstTaskAsync(called));
        Assert.Equal((2, 1, 1), (report.Decided, report.TasksStarted, report.QueuedForClient));

        await using var db = firm.OpenAnother();
        var view = await new FollowUpViews(db).FindAsync(await global::Ensemble.Storage.Advisory.AdvisorySettingsStore.GetAsync(db), messaged.Id);
        Assert.Contains("Letter in the outbox", view!.Outcome, StringComparison.Ordinal);
        Assert.False(await db.Instances.AnyAsync(i => i.HouseholdId == firm.Households[0]));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NotUrgentButAdviceSensitive_GoesOnTheNextMeetingsAgenda_OrStartsAnAdviceMeetingWhenNoneIsScheduled(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await firm.MoveAsync("test.will", 20, 80);
        var later = await firm.MeetingAsync(1, daysAhead: 60, sequence: 2);
        var next = await firm.MeetingAsync(1, daysAhead: 30);
        await firm.ContactAsync(2, false, "portal");
        await firm.HoldingsAsync(1, cashShare: 5, will: false);
        await firm.HoldingsAsync(2, cashShare: 5, will: false);

        var report = await firm.RunBothAsync();

        var agenda = await firm.FollowUpOfAsync(1, "test.will");
        Assert.Equal((Quadrant.PlannedAdvice, FollowUpChannel.MeetingAgenda, FollowUpStatus.OnAgenda, next), (agenda.Quadrant, agenda.Channel, agenda.Status, agenda.TouchpointId));
        Assert.Null(agenda.InstanceId);
        await using (var db = firm.OpenAnother())
        {
            var item = Assert.Single(await new FollowUpViews(db).AgendaAsync(next));
            Assert.Equal((agenda.AlertId.Value, true), (item.AlertId, item.Stands));
            Assert.StartsWith("No will on record (No will)", item.Text, StringComparison.Ordinal);
            Assert.Empty(await new FollowUpViews(db).AgendaAsync(later));
            Assert.Single(await new FollowUpViews(db).HouseholdAgendaAsync(firm.Households[0]));
        }

        var meeting = await firm.FollowUpOfAsync(2, "test.will");
        Assert.Equal((FollowUpChannel.PortalNudge, FollowUpAction.AdvisorMeeting, FollowUpStatus.TaskStarted), (meeting.Channel, meeting.Action, meeting.Status));
        Assert.Equal((FollowUpRoute.AdviceMeetingTemplate, RoleKeys.WealthPartner, firm.Staff["dan"]), await firm.FirstTaskAsync(meeting));
        Assert.Contains("no meeting is scheduled", meeting.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 1, 1), (report.Decided, report.OnAgenda, report.TasksStarted));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NeitherUrgentNorSensitive_IsAPortalNudgeOrTheNewsletter_QueuedWithoutAnyTask(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await firm.ApproveMessageAsync("test.cash");
        await firm.ContactAsync(1, false, "portal");
        await firm.ReachableAsync(1, "Ada", email: null);
        await firm.ContactAsync(2, false);
        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        await firm.HoldingsAsync(2, cashShare: 15, will: true);

        var report = await firm.RunBothAsync();

        var nudge = await firm.FollowUpOfAsync(1, "test.cash");
        var newsletter = await firm.FollowUpOfAsync(2, "test.cash");
        Assert.Equal((Quadrant.SelfService, FollowUpChannel.PortalNudge, FollowUpAction.SelfService, FollowUpStatus.QueuedForClient),
            (nudge.Quadrant, nudge.Channel, nudge.Action, nudge.Status));
        Assert.Equal((FollowUpChannel.Newsletter, FollowUpStatus.QueuedForClient), (newsletter.Channel, newsletter.Status));
        Assert.Equal((2, 0, 2), (report.Decided, report.TasksStarted, report.QueuedForClient));
        await using var db = firm.OpenAnother();
        Assert.Equal(0, await db.Instances.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DoNotContact_IsAnInternalFileReviewInEveryQuadrant_AndNothingIsQueuedForTheClientOrPutOnAnAgenda(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 3);
        await firm.MoveAsync("test.cash/some", 20, 80);
        for (var n = 1; n <= 3; n++)
        {
            await firm.ContactAsync(n, true, "email", "phone", "portal", "sms");
            await firm.MeetingAsync(n, daysAhead: 20);
        }

        await firm.HoldingsAsync(1, cashShare: 40, will: false); // urgent service and urgent advice
        await firm.HoldingsAsync(2, cashShare: 15, will: true);  // not urgent, advice (moved)
        await firm.HoldingsAsync(3, cashShare: 5, will: false);

        var report = await firm.RunBothAsync();

        var followUps = await firm.FollowUpsAsync();
        Assert.Equal(4, followUps.Count);
        Assert.All(followUps, f =>
        {
            Assert.Equal((FollowUpChannel.InternalReview, FollowUpStatus.TaskStarted, RoleKeys.WealthPartner), (f.Channel, f.Status, f.OwnerRole));
            Assert.Null(f.TouchpointId);
        });
        foreach (var f in followUps)
        {
            Assert.Equal((FollowUpRoute.FileReviewTemplate, RoleKeys.WealthPartner, firm.Staff["dan"]), await firm.FirstTaskAsync(f));
        }

        Assert.Equal((0, 0), (report.QueuedForClient, report.OnAgenda));
        await using var db = firm.OpenAnother();
        Assert.Equal(0, await db.AgendaItems().CountAsync());
    }
}
