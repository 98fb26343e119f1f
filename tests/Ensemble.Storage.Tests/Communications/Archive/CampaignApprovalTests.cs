using Ensemble.Communications.Campaigns;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Tests.Testing;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Archive;

public sealed class CampaignApprovalTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AMessageOfACampaign_ShowsItsApproval_WhoDecidedWhenAndWhy(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var submitted = firm.Clock.GetCurrentInstant();
        var campaign = new Campaign(
            new CampaignContent("Form ADV 2025", CampaignKind.FormAdv, "Our Form ADV", "Dear {{ person.first_name }}, …", AudienceFilter.Empty, null, null), "alice", submitted);
        firm.Db.Actor = "alice";
        firm.Db.Add(campaign);
        await firm.Db.SaveChangesAsync();
        Assert.True(campaign.Submit("alice", submitted, []).IsSuccess);
        await firm.Db.SaveChangesAsync();
        var approved = submitted + Duration.FromHours(2);
        Assert.True(campaign.Review(true, "erin", holdsCompliance: true, "Fine as written.", approved).IsSuccess);
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "Our Form ADV", kind: "form-adv", campaign: campaign.Id.Value);

        var message = await new OutboxArchive(firm.Db).FindAsync(id, ArchiveScope.WholeFirm);

        var record = message!.Campaign!;
        Assert.Equal((campaign.Id.Value, "Form ADV 2025", true), (record.Id, record.Name, record.Known));
        Assert.Equal([("submitted", "alice"), ("approved", "erin")], record.Approvals.Select(a => (a.Decision, a.Reviewer)));
        Assert.Equal((approved, "Fine as written."), (record.Approvals[1].At, record.Approvals[1].Comment));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AMessageNamingACampaignNotOnRecord_IsShownAsUnknown_NotAsUnapproved(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "From an older system", campaign: 424242);

        var message = await new OutboxArchive(firm.Db).FindAsync(id, ArchiveScope.WholeFirm);

        Assert.False(message!.Campaign!.Known);
        Assert.Empty(message.Campaign.Approvals);
    }
}
