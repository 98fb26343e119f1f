using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>The outbox as operations watch it: how much is waiting, sending, sent and failed, and the messages behind the numbers.</summary>
public sealed class OutboxViews(EnsembleDb db)
{
    /// <summary>Counts per status, optionally for one campaign.</summary>
    public async Task<IReadOnlyDictionary<DeliveryStatus, int>> CountsAsync(long? campaignId = null, CancellationToken cancellationToken = default)
    {
        var query = db.Outbox.AsNoTracking();
        if (campaignId is { } id)
        {
            query = query.Where(m => m.CampaignId == id);
        }

        var rows = await query.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return Enum.GetValues<DeliveryStatus>().ToDictionary(s => s, s => rows.FirstOrDefault(r => r.Key == s)?.Count ?? 0);
    }

    /// <summary>Messages with a given status (all when null), newest first.</summary>
    public async Task<IReadOnlyList<OutboxLine>> ListAsync(DeliveryStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        var query = db.Outbox.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        return await query
            .OrderByDescending(m => m.Id)
            .Take(Math.Clamp(limit, 1, 1_000))
            .Select(m => new OutboxLine(m.Id, m.MessageId, m.Kind, m.Channel, m.Status, m.RecipientName, m.Address, m.Subject, m.Attempts, m.QueuedAt, m.SentAt, m.NextAttemptAt, m.LastError, m.HouseholdId, m.CampaignId))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>One outbox message as a list shows it.</summary>
public sealed record OutboxLine(
    long Id, string MessageId, string Kind, DeliveryChannel Channel, DeliveryStatus Status, string RecipientName, string Address, string Subject,
    int Attempts, Instant QueuedAt, Instant? SentAt, Instant NextAttemptAt, string? LastError, Ensemble.Common.HouseholdId? HouseholdId, long? CampaignId);
