using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Storage.Communications;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Tests.Communications.Archive;

/// <summary>Messages put straight into the app's outbox, as the sender leaves them once sent.</summary>
internal static class ArchiveMessages
{
    public static async Task<long> SentAsync(EnsembleApp app, string? householdKey, string subject, string kind = "campaign", DeliveryChannel channel = DeliveryChannel.Email, string? staffHandle = null)
    {
        await using var db = app.OpenDb();
        HouseholdId? household = householdKey is null ? null : await db.Households.Where(h => h.Key == householdKey).Select(h => h.Id).SingleAsync();
        StaffId? staff = staffHandle is null ? null : await db.Staff.Where(s => s.Handle == staffHandle).Select(s => s.Id).SingleAsync();
        var now = SystemClock.Instance.GetCurrentInstant();
        var key = $"web-test:{Guid.NewGuid():N}";
        var address = channel == DeliveryChannel.Letter ? "12 Harbor Road\nPortland, ME 04101" : "client@mail.example";
        db.Actor = "web-tests";
        await OutboxQueue.AddAsync(db, [new OutboxEnvelope(key, kind, channel, "Ana Client", address, subject, $"Dear client,\n\n{subject}.", $"<p>{subject}</p>", household, staff)], now);
        await db.SaveChangesAsync();
        var message = await db.Outbox.SingleAsync(m => m.Key == key);
        message.Claim("web-tests", now + Duration.FromMinutes(1));
        message.MarkSent(now, OutboxQueue.DefaultRetention);
        await db.SaveChangesAsync();
        return message.Id;
    }
}
