using Ensemble.Audit;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Audit;

/// <summary>Reads and checks the audit trail.</summary>
public sealed class AuditTrail(EnsembleDb db)
{
    /// <summary>Walks the whole chain in sequence order (streamed, so it scales to millions of events).</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var headRow = await db.AuditHead.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken);
        var head = headRow is null ? null : new AuditHead(headRow.LastSequence, headRow.LastHash);
        if (headRow is null)
        {
            return new AuditVerification(false, 0, 1, "The audit head row is missing (it was deleted).");
        }

        // Streamed: rows go from the reader through the check without being held in memory.
        var events = db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().Select(r => r.ToEvent());
        return await AuditChain.VerifyAsync(events, head, cancellationToken);
    }

    /// <summary>The latest events, optionally for one household or one entity.</summary>
    public Task<List<AuditRow>> RecentAsync(long? householdId, string? entityType, string? entityId, int limit, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (householdId is not null)
        {
            query = query.Where(e => e.HouseholdId == householdId);
        }

        if (entityType is not null)
        {
            query = query.Where(e => e.EntityType == entityType);
        }

        if (entityId is not null)
        {
            query = query.Where(e => e.EntityId == entityId);
        }

        return query.OrderByDescending(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }
}
