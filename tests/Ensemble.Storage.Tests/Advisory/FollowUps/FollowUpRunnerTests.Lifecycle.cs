using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>Running again, racing, and closing: resolution cancels, a finished process or a held meeting is done.</summary>
public sealed partial class FollowUpRunnerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RunningAgain_DoesNothingNew(StorageProvider provider)
    {
        await using var firm = await MixedAsync(provider);
        await firm.RunBothAsync();
        var before = await firm.FootprintAsync();

        var again = await firm.RunBothAsync();

        Assert.Equal((0, 0, 0, 0, 0), (again.Decided, again.TasksStarted, again.ToDigest, again.OnAgenda, again.QueuedForClient));
        Assert.Equal(before, await firm.FootprintAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoRunsAtOnce_GiveEachAlertOneFollowUp_AndStartEachProcessOnce(StorageProvider provider)
    {
        await using var firm = await MixedAsync(provider);
        await firm.RunAsync();

        await using var a = firm.OpenAnother();
        await using var b = firm.OpenAnother();
        await Task.WhenAll(new FollowUpRunner(a, firm.Clock).RunAsync(), new FollowUpRunner(b, firm.Clock).RunAsync());
        await firm.FollowUpAsync();

        var alerts = await firm.AlertsAsync();
        var followUps = await firm.FollowUpsAsync();
        Assert.Equal(alerts.Count, followUps.Count);
        Assert.Equal(alerts.Select(x => x.Id.Value).Order(), followUps.Select(f => f.AlertId.Value).Order());
        await using var db = firm.OpenAnother();
        Assert.Equal(followUps.Count(f => f.InstanceId is not null), await db.Instances.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ResolvingTheAlert_CancelsItsPendingFollowUps_WithdrawsTheAgendaPoint_AndLeavesAStartedProcessToTheTeam(StorageProvider provider)
    {
        await using var firm = await MixedAsync(provider);
        await firm.RunBothAsync();
        var task = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal(FollowUpStatus.TaskStarted, task.Status);

        for (var n = 1; n <= 3; n++)
        {
            await firm.HoldingsAsync(n, cashShare: 5, will: true);
        }

        var report = await firm.RunBothAsync();

        Assert.Equal(3, report.Cancelled);
        var cancelled = await firm.FollowUpsAsync();
        Assert.All(cancelled, f => Assert.Equal(FollowUpStatus.Cancelled, f.Status));
        var call = cancelled.Single(f => f.Id == task.Id);
        Assert.Contains("left to the team", call.ClosingNote, StringComparison.Ordinal);
        Assert.Contains("before delivery", cancelled.Single(f => f.Channel == FollowUpChannel.PortalNudge).ClosingNote, StringComparison.Ordinal);
        await using var db = firm.OpenAnother();
        Assert.Equal(InstanceStatus.Running, await db.Instances.Where(i => i.Id == task.InstanceId).Select(i => i.Status).SingleAsync());
        var item = await db.AgendaItems().AsNoTracking().SingleAsync();
        Assert.False(item.Stands);
        Assert.Contains("resolved", item.WithdrawnBecause, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AFinishedProcessOrAHeldMeeting_MakesTheFollowUpDone_AndACancelledMeetingMovesThePointToTheNextOne(StorageProvider provider)
    {
        await using var firm = await MixedAsync(provider);
        var second = await firm.MeetingAsync(3, daysAhead: 90, sequence: 2);
        await firm.RunBothAsync();
        var call = await firm.FollowUpOfAsync(1, "test.cash");
        var agenda = await firm.FollowUpOfAsync(3, "test.will");

        await using (var db = firm.OpenAnother())
        {
            var work = new WorkService(db, firm.Clock);
            while (await db.Tasks.AsNoTracking().Where(t => t.InstanceId == call.InstanceId && t.Status == WorkTaskStatus.Open).Select(t => (TaskId?)t.Id).FirstOrDefaultAsync() is { } open)
            {
                Assert.True((await work.CompleteAsync(open, "carol")).IsSuccess);
            }

            var meeting = await db.Touchpoints.SingleAsync(t => t.Id == agenda.TouchpointId);
            meeting.Cancel("The client is travelling.");
            await db.SaveChangesAsync();
        }

        var report = await firm.FollowUpAsync();

        Assert.Equal(1, report.Done);
        var done = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal(FollowUpStatus.Done, done.Status);
        Assert.Contains("finished", done.ClosingNote, StringComparison.Ordinal);
        var moved = await firm.FollowUpOfAsync(3, "test.will");
        Assert.Equal((FollowUpStatus.OnAgenda, second), (moved.Status, moved.TouchpointId));

        await using (var db = firm.OpenAnother())
        {
            Assert.Equal(second, (await db.AgendaItems().AsNoTracking().SingleAsync()).TouchpointId);
            var meeting = await db.Touchpoints.SingleAsync(t => t.Id == second);
            meeting.MarkHeld(firm.Now(), null);
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, (await firm.FollowUpAsync()).Done);
        Assert.Equal(FollowUpStatus.Done, (await firm.FollowUpOfAsync(3, "test.will")).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnAlertThatBecomesUrgent_WhileItsFollowUpWaitsOnAnAgenda_IsDecidedAgainAndPushed(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.MoveAsync("test.cash/some", 20, 80);
        await firm.MeetingAsync(1, daysAhead: 45);
        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        await firm.RunBothAsync();
        var waiting = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal(FollowUpStatus.OnAgenda, waiting.Status);

        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        var report = await firm.RunBothAsync();

        Assert.Equal((0, 1, 1), (report.Decided, report.Escalated, report.TasksStarted));
        var pushed = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((waiting.Id, "test.cash/high", FollowUpChannel.PhoneCall, FollowUpStatus.TaskStarted), (pushed.Id, pushed.TypeKey, pushed.Channel, pushed.Status));
        Assert.Null(pushed.TouchpointId);
        Assert.StartsWith("The alert became urgent", pushed.Reason, StringComparison.Ordinal);
        Assert.Equal((FollowUpRoute.CallTemplate, global::Ensemble.Practice.RoleKeys.ClientServiceAssociate, firm.Staff["carol"]), await firm.FirstTaskAsync(pushed));
        await using var db = firm.OpenAnother();
        Assert.False((await db.AgendaItems().AsNoTracking().SingleAsync()).Stands);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ATypeTheFirmMovesIntoAnUrgentQuadrant_PushesItsFollowUpsStillWaitingForTheNewsletter_AndOnlyOnce(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.ApproveMessageAsync("test.cash");
        await firm.ReachableAsync(1, "Ada", "ada@client.example");
        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        await firm.RunBothAsync();
        var waiting = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpChannel.Newsletter, FollowUpStatus.QueuedForClient), (waiting.Channel, waiting.Status));

        await firm.MoveAsync("test.cash/some", 70, 30);
        var report = await firm.FollowUpAsync();
        var again = await firm.FollowUpAsync();

        var pushed = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((waiting.Id, Quadrant.UrgentService, FollowUpChannel.PhoneCall, FollowUpStatus.TaskStarted), (pushed.Id, pushed.Quadrant, pushed.Channel, pushed.Status));
        Assert.StartsWith("The firm moved Cash above target (Over 10% in cash) on the canvas and it is now urgent", pushed.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 0, 0), (report.Escalated, again.Escalated, report.QueuedForClient));
        Assert.False(again.Ran && again.Escalated + again.Decided + again.TasksStarted > 0);
    }

    /// <summary>Household 1 a call (urgent service, no stated channel), 2 a portal nudge (self-service), 3 on its next meeting's agenda (the will rule made not urgent).</summary>
    private static async Task<FirmBuilder> MixedAsync(StorageProvider provider)
    {
        var firm = await AdvisoryBook.CreateAsync(provider, 3);
        await firm.ApproveMessageAsync("test.cash");
        await firm.MoveAsync("test.will", 20, 80);
        await firm.ContactAsync(2, false, "portal");
        await firm.ReachableAsync(2, "Bea", email: null);
        await firm.MeetingAsync(3, daysAhead: 30);
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.HoldingsAsync(2, cashShare: 15, will: true);
        await firm.HoldingsAsync(3, cashShare: 5, will: false);
        return firm;
    }
}
