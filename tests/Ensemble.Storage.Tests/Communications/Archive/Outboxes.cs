using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Storage.Communications;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Archive;

/// <summary>Messages put through the outbox as the sender would leave them: queued, sent, delivered, failed or bounced, at the builder's clock.</summary>
internal static class Outboxes
{
    public static async Task<long> AddAsync(
        FirmBuilder firm,
        HouseholdId? household,
        string subject,
        DeliveryStatus status = DeliveryStatus.Sent,
        string kind = "campaign",
        DeliveryChannel channel = DeliveryChannel.Email,
        string body = "Dear client,\n\nOur quarterly commentary.",
        string? html = null,
        string address = "client@test.example",
        string name = "Ana Client",
        StaffId? staff = null,
        long? campaign = null,
        Duration? retention = null)
    {
        var db = firm.Db;
        var now = firm.Clock.GetCurrentInstant();
        var keep = retention ?? OutboxQueue.DefaultRetention;
        var key = $"test:{Guid.NewGuid():N}";
        db.Actor = "test";
        db.Operation = "queue";
        await OutboxQueue.AddAsync(db, [new OutboxEnvelope(key, kind, channel, name, address, subject, body, html, household, staff, campaign)], now, keep);
        await db.SaveChangesAsync();
        var message = await db.Outbox.SingleAsync(m => m.Key == key);
        if (status != DeliveryStatus.Queued)
        {
            message.Claim("test-node", now + Duration.FromMinutes(1));
        }

        switch (status)
        {
            case DeliveryStatus.Sent:
                message.MarkSent(now, keep);
                break;
            case DeliveryStatus.Delivered:
                message.MarkSent(now, keep);
                message.MarkDelivered(now);
                break;
            case DeliveryStatus.Failed:
                message.Fail("550 mailbox unavailable", now);
                break;
            case DeliveryStatus.Bounced:
                message.MarkSent(now, keep);
                message.Bounce("mailbox full", now);
                break;
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return message.Id;
    }
}
