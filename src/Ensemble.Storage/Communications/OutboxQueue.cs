using Ensemble.Communications;
using Ensemble.Communications.Archive;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications;

/// <summary>
/// Puts messages in the outbox inside the caller's transaction, so a message is queued exactly when the work that
/// produced it commits. Keys already queued are skipped: queuing is idempotent.
/// </summary>
public static class OutboxQueue
{
    /// <summary>The books-and-records period messages are kept for unless the firm configures another.</summary>
    public static readonly Duration DefaultRetention = RetentionPeriod.OfYears(CommunicationSettings.DefaultRetentionYears);

    /// <summary>Adds the envelopes whose keys are new; returns how many were added. The caller saves.</summary>
    public static async Task<int> AddAsync(EnsembleDb db, IReadOnlyCollection<OutboxEnvelope> envelopes, Instant now, Duration? retention = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(envelopes);
        if (envelopes.Count == 0)
        {
            return 0;
        }

        var keys = envelopes.Select(e => e.Key).ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(500))
        {
            existing.UnionWith(await db.Outbox.AsNoTracking().Where(m => chunk.Contains(m.Key)).Select(m => m.Key).ToListAsync(ct));
        }

        var keep = retention ?? DefaultRetention;
        var added = 0;
        foreach (var envelope in envelopes)
        {
            if (existing.Add(envelope.Key))
            {
                db.Outbox.Add(new OutboxMessage(envelope, now, now + keep));
                added++;
            }
        }

        return added;
    }
}
