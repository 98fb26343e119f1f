using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>How a sent campaign is getting on, read from its outbox rows: counts per delivery status and per recipient.</summary>
public sealed class CampaignProgress(EnsembleDb db)
{
    public async Task<DeliveryCounts> CountsAsync(CampaignId id, CancellationToken cancellationToken = default)
    {
        var campaign = (long?)id.Value;
        var rows = await db.Outbox.AsNoTracking()
            .Where(m => m.CampaignId == campaign)
            .GroupBy(m => new { m.Status, m.Channel })
            .Select(g => new { g.Key.Status, g.Key.Channel, Count = g.Count() })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return DeliveryCounts.None;
        }

        int Status(DeliveryStatus s) => rows.Where(r => r.Status == s).Sum(r => r.Count);
        int Channel(DeliveryChannel c) => rows.Where(r => r.Channel == c).Sum(r => r.Count);
        return new DeliveryCounts(
            rows.Sum(r => r.Count), Status(DeliveryStatus.Queued), Status(DeliveryStatus.Sending), Status(DeliveryStatus.Sent), Status(DeliveryStatus.Delivered),
            Status(DeliveryStatus.Failed), Status(DeliveryStatus.Bounced), Channel(DeliveryChannel.Email), Channel(DeliveryChannel.Letter), Channel(DeliveryChannel.Portal));
    }

    /// <summary>
    /// The campaign's messages by household key, with where each stands; <paramref name="status"/> narrows to one status,
    /// <paramref name="visible"/> (null: all) to the households the caller may see.
    /// </summary>
    public async Task<List<DeliveryLine>> RecipientsAsync(
        CampaignId id, DeliveryStatus? status, IReadOnlyCollection<long>? visible, int limit, int offset, CancellationToken cancellationToken = default)
    {
        var campaign = (long?)id.Value;
        var messages = db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaign);
        if (status is { } only)
        {
            messages = messages.Where(m => m.Status == only);
        }

        if (visible is not null)
        {
            var ids = visible.Select(v => (HouseholdId?)new HouseholdId(v)).ToList();
            messages = messages.Where(m => ids.Contains(m.HouseholdId));
        }

        var rows = await (from m in messages
                          join h in db.Households on m.HouseholdId equals h.Id into households
                          from h in households.DefaultIfEmpty()
                          orderby h.Key, m.Id
                          select new DeliveryLine(
                              m.Id, h.Key, h.Name, m.Channel, m.RecipientName, m.Address, m.Status, m.Attempts, m.QueuedAt, m.SentAt, m.DeliveredAt, m.FailedAt, m.LastError))
            .Skip(offset)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows;
    }
}
