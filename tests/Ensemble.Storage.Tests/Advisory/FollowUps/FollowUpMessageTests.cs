using Ensemble.Advisory.FollowUp;
using Ensemble.Communications;
using Ensemble.Practice;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>
/// Follow-ups by a client channel send the message compliance approved for the alert's rule, through the outbox, and
/// close when it is sent; without an approved message, an address or a delivery, the caller phones instead.
/// </summary>
public sealed class FollowUpMessageTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ClientChannel_WithoutAnApprovedMessage_IsPassedOver_AndTheClientServiceAssociateCalls(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.ContactAsync(1, false, "email", "letter");
        await firm.ReachableAsync(1, "Ada", "ada@client.example", "1 Main St\nSpringfield");
        await firm.HoldingsAsync(1, cashShare: 40, will: true);

        var report = await firm.RunBothAsync();

        var followUp = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpChannel.PhoneCall, FollowUpStatus.TaskStarted), (followUp.Channel, followUp.Status));
        Assert.Equal((FollowUpRoute.CallTemplate, RoleKeys.ClientServiceAssociate, firm.Staff["carol"]), await firm.FirstTaskAsync(followUp));
        Assert.Contains("email: compliance has not approved a message for this alert yet", followUp.Reason, StringComparison.Ordinal);
        Assert.Equal(0, report.QueuedForClient);
        await using var db = firm.OpenAnother();
        Assert.Equal(0, await db.Outbox.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ApprovedMessage_IsRenderedForEachHousehold_AndQueuedOnceByTheChannelTheFollowUpChose(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        var message = await firm.ApproveMessageAsync("test.cash");
        await firm.ContactAsync(1, false, "email");
        await firm.ReachableAsync(1, "Ada", "ada@client.example");
        await firm.ContactAsync(2, false, "sms", "letter");
        await firm.ReachableAsync(2, "Ben", null, "2 High St\nShelbyville");
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.HoldingsAsync(2, cashShare: 40, will: true);

        var report = await firm.RunBothAsync();
        var again = await firm.RunBothAsync();

        var email = await firm.FollowUpOfAsync(1, "test.cash");
        var letter = await firm.FollowUpOfAsync(2, "test.cash");
        Assert.Equal((FollowUpChannel.Email, FollowUpStatus.QueuedForClient), (email.Channel, email.Status));
        Assert.Equal((FollowUpChannel.Letter, FollowUpStatus.QueuedForClient), (letter.Channel, letter.Status));
        Assert.Contains("text message: Ensemble has no text-message gateway", letter.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 0), (report.QueuedForClient, again.QueuedForClient));

        await using var db = firm.OpenAnother();
        var sent = await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(("alert-follow-up", message.Value, DeliveryStatus.Queued), (m.Kind, m.CampaignId!.Value, m.Status)));
        Assert.Equal((email.MessageKey, DeliveryChannel.Email, "ada@client.example", "A question about your cash, Ada"), (sent[0].Key, sent[0].Channel, sent[0].Address, sent[0].Subject));
        Assert.Equal((letter.MessageKey, DeliveryChannel.Letter, "2 High St\nShelbyville"), (sent[1].Key, sent[1].Channel, sent[1].Address));
        Assert.Contains("Dear Ben,", sent[1].TextBody, StringComparison.Ordinal);
        var view = await new FollowUpViews(db).FindAsync(await global::Ensemble.Storage.Advisory.AdvisorySettingsStore.GetAsync(db), email.Id);
        Assert.Contains("in the outbox", view!.Outcome, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PreferredChannelWithoutAnAddress_BecomesACall_SayingWhy(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.ApproveMessageAsync("test.cash");
        await firm.ContactAsync(1, false, "email");
        await firm.ReachableAsync(1, "Ada", email: null);
        await firm.HoldingsAsync(1, cashShare: 40, will: true);

        var report = await firm.RunBothAsync();

        var followUp = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpChannel.PhoneCall, FollowUpStatus.TaskStarted, 1), (followUp.Channel, followUp.Status, report.ToCalls));
        Assert.Contains("The email could not be sent (the household's primary member has no email address)", followUp.Reason, StringComparison.Ordinal);
        await using var db = firm.OpenAnother();
        Assert.Equal(0, await db.Outbox.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SentMessage_MakesTheFollowUpDone_WhileABouncedOne_TurnsIntoACall(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await firm.ApproveMessageAsync("test.cash");
        for (var n = 1; n <= 2; n++)
        {
            await firm.ContactAsync(n, false, "email");
            await firm.ReachableAsync(n, $"Client{n}", $"client{n}@client.example");
            await firm.HoldingsAsync(n, cashShare: 40, will: true);
        }

        await firm.RunBothAsync();
        await using (var db = firm.OpenAnother())
        {
            var messages = await db.Outbox.OrderBy(m => m.Id).ToListAsync();
            messages[0].MarkSent(firm.Now(), Duration.FromDays(2190));
            messages[1].Bounce("550 5.1.1 mailbox unknown", firm.Now());
            await db.SaveChangesAsync();
        }

        var report = await firm.FollowUpAsync();

        var done = await firm.FollowUpOfAsync(1, "test.cash");
        var called = await firm.FollowUpOfAsync(2, "test.cash");
        Assert.Equal(FollowUpStatus.Done, done.Status);
        Assert.StartsWith("The email was sent on ", done.ClosingNote, StringComparison.Ordinal);
        Assert.Equal((FollowUpChannel.PhoneCall, FollowUpStatus.TaskStarted), (called.Channel, called.Status));
        Assert.Contains("The email bounced (550 5.1.1 mailbox unknown), so the client service associate calls", called.Reason, StringComparison.Ordinal);
        Assert.Equal((FollowUpRoute.CallTemplate, RoleKeys.ClientServiceAssociate, firm.Staff["carol"]), await firm.FirstTaskAsync(called));
        Assert.Equal((1, 1, 1), (report.Done, report.ToCalls, report.TasksStarted));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ResolvedAlert_WithdrawsItsMessage_WhileItStillWaitsInTheOutbox(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.ApproveMessageAsync("test.cash");
        await firm.ContactAsync(1, false, "email");
        await firm.ReachableAsync(1, "Ada", "ada@client.example");
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.RunBothAsync();

        await firm.HoldingsAsync(1, cashShare: 5, will: true);
        await firm.RunBothAsync();

        var followUp = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal(FollowUpStatus.Cancelled, followUp.Status);
        Assert.Contains("its message was withdrawn from the outbox", followUp.ClosingNote, StringComparison.Ordinal);
        await using var db = firm.OpenAnother();
        var message = await db.Outbox.AsNoTracking().SingleAsync();
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.StartsWith("Withdrawn before sending", message.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewsletterFollowUp_WaitsForTheNextMailing_AndGoesOutWithIt(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.ApproveMessageAsync("test.cash");
        await firm.ReachableAsync(1, "Ada", "ada@client.example");
        await firm.HoldingsAsync(1, cashShare: 15, will: true);

        await firm.RunBothAsync();
        var waiting = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpChannel.Newsletter, FollowUpStatus.QueuedForClient, null), (waiting.Channel, waiting.Status, waiting.MessageKey));

        await using (var db = firm.OpenAnother())
        {
            Assert.Equal(0, await db.Outbox.CountAsync());
            var book = new CampaignBook(db, firm.Clock);
            var mailing = await book.CreateAsync(new global::Ensemble.Communications.Campaigns.CampaignInput("Winter letter", "commentary", "Winter", "Dear {{ person.first_name }},", Stages: ["client"]), "carol");
            await book.SubmitAsync(mailing.Value.Id, "carol");
            await book.ReviewAsync(mailing.Value.Id, true, null, "omar");
            var sent = await new CampaignSender(db, firm.Clock).SendAsync(mailing.Value.Id, "carol");
            Assert.True(sent.IsSuccess, sent.Error?.Message);
        }

        var carried = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpStatus.QueuedForClient, "alert:" + carried.AlertId + ":message"), (carried.Status, carried.MessageKey));
        await using var check = firm.OpenAnother();
        var kinds = await check.Outbox.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.Kind, m.Channel, m.Address }).ToListAsync();
        Assert.Equal(["commentary", "alert-follow-up"], kinds.Select(k => k.Kind));
        Assert.All(kinds, k => Assert.Equal((DeliveryChannel.Email, "ada@client.example"), (k.Channel, k.Address)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ChangedMessage_IsOutOfUse_UntilComplianceApprovesItAgain(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        var id = await firm.ApproveMessageAsync("test.cash");
        await using (var db = firm.OpenAnother())
        {
            var revised = await new CampaignBook(db, firm.Clock).ReviseAsync(id,
                new global::Ensemble.Communications.Campaigns.CampaignInput("Follow-up: test.cash", "alert-follow-up", StandingMessages.Subject, StandingMessages.Body + "\nP.S.", AlertRule: "test.cash"), "carol");
            Assert.True(revised.IsSuccess, revised.Error?.Message);
        }

        await firm.ContactAsync(1, false, "email");
        await firm.ReachableAsync(1, "Ada", "ada@client.example");
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.RunBothAsync();

        var followUp = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal(FollowUpChannel.PhoneCall, followUp.Channel);
        Assert.Contains("compliance has not approved a message", followUp.Reason, StringComparison.Ordinal);
    }
}
