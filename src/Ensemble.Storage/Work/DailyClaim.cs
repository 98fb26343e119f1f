using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>
/// Once-a-firm-day jobs shared by several web processes: the first caller of the day claims the job with one
/// conditional write to its cursor row; everyone else that day is told no. Claiming before the work (not
/// recording after it) keeps two nodes from doing the same bulk writes at the same moment.
/// </summary>
internal static class DailyClaim
{
    /// <summary>The cursor's value before a successful claim (null when the job never ran), or <c>Claimed = false</c>.</summary>
    public readonly record struct Outcome(bool Claimed, Instant? Previous);

    public static async Task<Outcome> TryClaimAsync(EnsembleDb db, string cursorId, Instant now, Instant startOfToday, CancellationToken cancellationToken)
    {
        var previous = await db.PeriodicCursors.AsNoTracking()
            .Where(c => c.TriggerId == cursorId)
            .Select(c => (Instant?)c.LastSweptAt)
            .SingleOrDefaultAsync(cancellationToken);
        if (previous is { } last)
        {
            if (last >= startOfToday)
            {
                return new Outcome(false, last);
            }

            // Conditional on the value read, so of two nodes racing only one update matches.
            var updated = await db.PeriodicCursors
                .Where(c => c.TriggerId == cursorId && c.LastSweptAt == last)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastSweptAt, now), cancellationToken);
            return new Outcome(updated == 1, last);
        }

        db.PeriodicCursors.Add(new PeriodicCursor { TriggerId = cursorId, LastSweptAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new Outcome(true, null);
        }
        catch (DbUpdateException ex) when (Conflicts.IsUniqueViolation(ex))
        {
            return new Outcome(false, null);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Gives a claimed day back after the job failed, so the next sweep tries again instead of tomorrow's.</summary>
    public static Task ReleaseAsync(EnsembleDb db, string cursorId, Outcome claim, CancellationToken cancellationToken) =>
        claim.Previous is { } previous
            ? db.PeriodicCursors.Where(c => c.TriggerId == cursorId).ExecuteUpdateAsync(u => u.SetProperty(c => c.LastSweptAt, previous), cancellationToken)
            : db.PeriodicCursors.Where(c => c.TriggerId == cursorId).ExecuteDeleteAsync(cancellationToken);
}
