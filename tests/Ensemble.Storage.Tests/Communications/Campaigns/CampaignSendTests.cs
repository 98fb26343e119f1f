using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage.Communications;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Communications.Campaigns;

/// <summary>Sending: one message per household, by its channel, all or nothing, and never twice.</summary>
public sealed class CampaignSendTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_QueuesOneMessagePerHousehold_ToItsPrimaryMember_LeavesOutDoNotContact_AndASecondSendAddsNothing(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 10);
        await firm.ChangeAsync(3, h => h.SetCommunication(["email"], doNotContact: true));
        await firm.ChangeAsync(7, h => { h.SetCommunication(["phone", "letter"], doNotContact: false); h.SetMailingAddress("7 Harbor Rd\nPortland, ME 04101"); });
        var id = await firm.ApprovedAsync(CampaignFirm.Letter(tiers: ["A", "B", "C"]));
        var sender = new CampaignSender(firm.Db, firm.Clock) { ChunkSize = 4 };

        var first = await sender.SendAsync(id, "alice");
        var again = await sender.SendAsync(id, "alice");

        Assert.Equal((10, 9, 1, 8, 1, 0), (first.Value.Audience, first.Value.Queued, first.Value.DoNotContact, first.Value.ByEmail, first.Value.ByLetter, first.Value.ByPortal));
        Assert.Equal((0, 9), (again.Value.Queued, again.Value.AlreadyQueued));
        var messages = await firm.Db.Outbox.AsNoTracking().Where(m => m.CampaignId == id.Value).ToListAsync();
        Assert.Equal(9, messages.Count);
        Assert.Equal(9, messages.Select(m => m.HouseholdId).Distinct().Count());
        Assert.DoesNotContain(messages, m => m.HouseholdId == firm.Households[2]);
        Assert.All(messages, m => Assert.Equal(("form-adv", $"campaign:{id}:household:{m.HouseholdId}", DeliveryStatus.Queued), (m.Kind, m.Key, m.Status)));
        var letter = messages.Single(m => m.HouseholdId == firm.Households[6]);
        Assert.Equal((DeliveryChannel.Letter, "7 Harbor Rd\nPortland, ME 04101", "First7 Last7"), (letter.Channel, letter.Address, letter.RecipientName));
        var email = messages.Single(m => m.HouseholdId == firm.Households[0]);
        Assert.Equal(("person1@mail.example", "Your Form ADV brochure, First1"), (email.Address, email.Subject));
        Assert.Equal("Dear First1,\n\nOur Form ADV brochure is enclosed. Please read it by April 30, 2027.\n\nDan\nTest", email.TextBody);
        Assert.Contains("<p>Dear First1,</p>", email.HtmlBody, StringComparison.Ordinal);
        var campaign = (await new CampaignBook(firm.Db, firm.Clock).FindAsync(id))!;
        Assert.Equal(("sent", 9, 9), (campaign.Status, campaign.Delivery.Total, campaign.Delivery.Queued));
        Assert.True(await firm.Db.AuditEvents.AsNoTracking().AnyAsync(e => e.Operation == "send-campaign" && e.EntityType == nameof(OutboxMessage) && e.Actor == "alice"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_ToABookOfNeighbouringHouseholds_AddressesEachByItsOwnMemberAndAdvisor_AndTheRowsAreDueForTheSender(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 90);
        var id = await firm.ApprovedAsync(CampaignFirm.Letter(tiers: ["A", "B", "C"]));

        var report = await new CampaignSender(firm.Db, firm.Clock) { ChunkSize = 80 }.SendAsync(id, "alice");

        Assert.Equal(90, report.Value.Queued);
        var messages = await firm.Db.Outbox.AsNoTracking().Where(m => m.CampaignId == id.Value).ToListAsync();
        var keys = await firm.Db.Households.AsNoTracking().ToDictionaryAsync(h => h.Id, h => h.Key);
        Assert.All(messages, m =>
        {
            var n = int.Parse(keys[m.HouseholdId!.Value][3..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(($"person{n}@mail.example", $"First{n} Last{n}"), (m.Address, m.RecipientName));
            Assert.EndsWith("\n\nDan\nTest", m.TextBody, StringComparison.Ordinal);
            Assert.Equal(MessageIds.For(m.Key), m.MessageId);
        });
        var now = firm.Clock.GetCurrentInstant();
        Assert.Equal(90, await firm.Db.Outbox.AsNoTracking().CountAsync(m => m.CampaignId == id.Value && m.NextAttemptAt <= now && m.Status == DeliveryStatus.Queued));
        Assert.Equal(90, await firm.Db.AuditEvents.AsNoTracking().CountAsync(e => e.Operation == "send-campaign" && e.EntityType == nameof(OutboxMessage)));
        var chain = await new global::Ensemble.Storage.Audit.AuditTrail(firm.Db).VerifyAsync();
        Assert.True(chain.IsIntact, chain.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_LeavesOutInvalidAddressesAndMissingMergeFields_ReportsThem_AndASendAfterTheFixReachesOnlyThem(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 4);
        await firm.ChangeAsync(2, h => h.UpsertMember("P1", "First2", "Last2", null, Ensemble.Households.Relationship.Primary, "person2 at mail.example"));
        await firm.ChangeAsync(4, h => h.UpsertMember("P1", "", "Last4", null, Ensemble.Households.Relationship.Primary, "person4@mail.example"));
        var id = await firm.ApprovedAsync(CampaignFirm.Letter(tiers: ["A", "B", "C"]));
        var recipients = new CampaignRecipients(firm.Db, firm.Clock);

        var missing = (await recipients.SummarizeAsync(id, null, onlyIssues: true, 50, 0))!;
        var first = await new CampaignSender(firm.Db, firm.Clock).SendAsync(id, "alice");

        Assert.Equal((2, 1, 1), (missing.Recipients.Count, missing.InvalidAddress, missing.MissingFields));
        Assert.Contains("\"person2 at mail.example\" is not a valid email address", missing.Recipients[0].Issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("No value for person.first_name", missing.Recipients[1].Issues[0].Message, StringComparison.Ordinal);
        Assert.Equal((2, 1, 1), (first.Value.Queued, first.Value.InvalidAddress, first.Value.MissingFields));

        await firm.ChangeAsync(4, h => h.UpsertMember("P1", "Fourth", "Last4", null, Ensemble.Households.Relationship.Primary, "person4@mail.example"));
        var second = await new CampaignSender(firm.Db, firm.Clock).SendAsync(id, "alice");

        Assert.Equal((1, 2, 1), (second.Value.Queued, second.Value.AlreadyQueued, second.Value.InvalidAddress));
        Assert.Equal(3, await firm.MessagesAsync(id));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_WhenOneInsertFailsInALaterChunk_QueuesNothing_AndLeavesTheCampaignApproved(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 6);
        var id = await firm.ApprovedAsync(CampaignFirm.Letter(tiers: ["A", "B", "C"]));

        // Another message already holds the Message-ID the sixth household's message would get: its insert must fail.
        firm.Db.Actor = "admin";
        firm.Db.Operation = "test-setup";
        await OutboxQueue.AddAsync(firm.Db, [new OutboxEnvelope("test:other", "test", DeliveryChannel.Email, "Someone", "someone@mail.example", "Hi", "Hi")], firm.Clock.GetCurrentInstant());
        await firm.Db.SaveChangesAsync();
        var taken = MessageIds.For(CampaignSender.Key(id, firm.Households[5]));
        await firm.Db.Database.ExecuteSqlAsync($"UPDATE outbox_messages SET message_id = {taken} WHERE key = 'test:other'");

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => new CampaignSender(firm.Db, firm.Clock) { ChunkSize = 2 }.SendAsync(id, "alice"));

        Assert.Equal(0, await firm.MessagesAsync(id));
        var view = (await new CampaignBook(firm.Db, firm.Clock).FindAsync(id))!;
        Assert.Equal(("approved", null), (view.Status, view.SentAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Audience_ByTierTagAccountTypeAndStage_MatchesEveryCriterion_AndPreviewRendersForOneHousehold(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 6);
        await firm.ChangeAsync(1, h => { h.SetTags(["Golf", "business-owner"]); h.UpsertAccount("A1", "Roth IRA", "Schwab", new Ensemble.Common.Money(1000m), null); });
        await firm.ChangeAsync(3, h => h.SetTags(["golf"]));
        await firm.ChangeAsync(5, h => { h.SetTags(["golf"]); h.UpsertAccount("A1", "roth-ira", "Schwab", new Ensemble.Common.Money(1000m), null); h.MoveTo(Ensemble.Households.LifecycleStage.Prospect); });
        var book = new CampaignBook(firm.Db, firm.Clock);
        var id = (await book.CreateAsync(CampaignFirm.Letter() with { Tiers = ["A"], Tags = ["GOLF"], AccountTypes = ["roth ira"], Stages = ["client"] }, "alice")).Value.Id;

        var summary = (await new CampaignRecipients(firm.Db, firm.Clock).SummarizeAsync(id, null, onlyIssues: false, 50, 0))!;
        var preview = (await new CampaignRecipients(firm.Db, firm.Clock).PreviewAsync(id, firm.Households[0]))!;
        var outside = (await new CampaignRecipients(firm.Db, firm.Clock).PreviewAsync(id, firm.Households[1]))!;

        Assert.Equal(["HH-00001"], summary.Recipients.Select(r => r.HouseholdKey).ToList());
        Assert.Equal("tier A · clients · tagged GOLF · holding a roth-ira account", summary.Description);
        Assert.True(preview.InAudience);
        Assert.Equal("Your Form ADV brochure, First1", preview.Subject);
        Assert.False(outside.InAudience);
    }
}
