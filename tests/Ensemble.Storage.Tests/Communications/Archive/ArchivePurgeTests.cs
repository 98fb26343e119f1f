using Ensemble.Communications;
using Ensemble.Communications.Archive;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Archive;

public sealed class ArchivePurgeTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_DeletesOnlyMessagesPastRetention_AndAuditsEachDeletion(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var today = firm.Clock.GetCurrentInstant();
        firm.Clock.Reset(Instant.FromUtc(2012, 3, 1, 12, 0));
        var expired = await Outboxes.AddAsync(firm, firm.Households[0], "Sent in 2012");
        var stillQueued = await Outboxes.AddAsync(firm, firm.Households[0], "Never sent", DeliveryStatus.Queued);
        firm.Clock.Reset(today);
        var recent = await Outboxes.AddAsync(firm, firm.Households[0], "Sent this year");

        var report = await new ArchivePurge(firm.Db, firm.Clock).RunAsync("omar");

        Assert.Equal((1, 1, 0), (report.Expired, report.Purged, report.Refused));
        var left = await firm.Db.Outbox.Select(m => m.Id).ToListAsync();
        Assert.DoesNotContain(expired, left);
        Assert.Contains(stillQueued, left);
        Assert.Contains(recent, left);
        var audit = await firm.Db.AuditEvents.SingleAsync(e => e.Action == "purged");
        Assert.Equal((nameof(OutboxMessage), expired.ToString(System.Globalization.CultureInfo.InvariantCulture), "omar", "purge-archive"), (audit.EntityType, audit.EntityId, audit.Actor, audit.Operation));
        Assert.Contains("\"messageId\"", audit.Before!, StringComparison.OrdinalIgnoreCase);

        // What the purge removes (the text) is not copied into the audit trail: only the record that the message existed.
        Assert.DoesNotContain("Sent in 2012", audit.Before!, StringComparison.Ordinal);
        Assert.DoesNotContain("quarterly commentary", audit.Before!, StringComparison.Ordinal);
        Assert.True((await new AuditTrail(firm.Db).VerifyAsync()).IsIntact);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_DryRun_CountsAndDeletesNothing(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var today = firm.Clock.GetCurrentInstant();
        firm.Clock.Reset(Instant.FromUtc(2012, 3, 1, 12, 0));
        await Outboxes.AddAsync(firm, firm.Households[0], "Sent in 2012");
        firm.Clock.Reset(today);

        var report = await new ArchivePurge(firm.Db, firm.Clock).RunAsync("omar", dryRun: true);

        Assert.Equal((1, 0), (report.Expired, report.Purged));
        Assert.Equal(1, await firm.Db.Outbox.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_KeepsWhatTheFirmsLongerPeriodStillCovers(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var today = firm.Clock.GetCurrentInstant();
        firm.Clock.Reset(Instant.FromUtc(2012, 3, 1, 12, 0));
        await Outboxes.AddAsync(firm, firm.Households[0], "Sent in 2012, stored for six years");
        firm.Clock.Reset(today);
        await CommunicationSettingsStore.SaveAsync(firm.Db, CommunicationSettings.Default with { RetentionYears = 20 });

        var report = await new ArchivePurge(firm.Db, firm.Clock).RunAsync("omar");

        Assert.Equal(0, report.Expired);
        Assert.Equal(1, await firm.Db.Outbox.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_WhenTheApplicationClockRunsAhead_IsRefusedByTheDatabase_AndDeletesNothing(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "Sent today");
        firm.Clock.Reset(firm.Clock.GetCurrentInstant() + Duration.FromDays(365 * 10));

        var report = await new ArchivePurge(firm.Db, firm.Clock).RunAsync("omar");

        Assert.Equal((1, 0, 1), (report.Expired, report.Purged, report.Refused));
        Assert.True(await firm.Db.Outbox.AnyAsync(m => m.Id == id));
        Assert.False(await firm.Db.AuditEvents.AnyAsync(e => e.Action == "purged"));
    }
}
