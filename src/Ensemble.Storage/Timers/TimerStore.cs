using Ensemble.Common;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Timers;

/// <summary>
/// The timers table as a queue shared by every node on one database. A node claims a few due timers at
/// a time with a lease, fires each in the transaction of its effect, and a timer whose lease runs out
/// unfired (its node died) is claimable again. The claim count (<see cref="DueTimer.Attempts"/>) fences
/// each claim: only the node holding the latest claim can fire, so a node that wakes up after its lease
/// was taken over cannot fire a second time.
/// </summary>
/// <remarks>
/// Claims never read more than one batch: due timers are found through the partial index on due_at
/// (unfired timers only), oldest first, so a restart with a hundred thousand pending timers costs the
/// same as one with ten. On PostgreSQL rows another node is claiming are skipped, not waited for
/// (FOR UPDATE SKIP LOCKED); SQLite has a single writer, so its claims simply queue.
/// Instants are passed to SQL as UTC <see cref="DateTime"/>s, exactly as the model's converter stores them.
/// </remarks>
public static class TimerStore
{
    public const int MaxKeyLength = 300;

    public const int MaxNodeLength = 120;

    public const int MaxBatch = 1_000;

    /// <summary>
    /// Schedules a timer unless one with the same key exists (then nothing changes, whatever its due time).
    /// True if this call scheduled it. Runs in the caller's transaction if there is one, so a timer can be
    /// scheduled atomically with the change that wants it.
    /// </summary>
    public static async Task<Result<bool>> ScheduleAsync(EnsembleDb db, string key, string kind, string payloadJson, Instant dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrWhiteSpace(key) || key.Length > MaxKeyLength)
        {
            return Error.Invalid($"A timer key is 1 to {MaxKeyLength} characters; got \"{key}\".");
        }

        var checkedPayload = TimerKinds.Check(kind, payloadJson);
        if (checkedPayload is not null)
        {
            return checkedPayload;
        }

        using var turn = db.Database.CurrentTransaction is null ? await WriteGate.EnterAsync(db, cancellationToken) : null;
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO timers (key, kind, payload, due_at, attempts) VALUES ({key}, {kind}, {payloadJson}, {Stored(dueAt)}, 0) ON CONFLICT (key) DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> unfired timers due by <paramref name="now"/> whose lease is free or
    /// expired, oldest first, leasing them to <paramref name="node"/> until now + lease. Commits at once (call it
    /// outside a transaction), so other nodes see the lease straight away.
    /// </summary>
    public static async Task<IReadOnlyList<DueTimer>> ClaimDueAsync(EnsembleDb db, string node, Instant now, int batch, Duration lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        CheckNode(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, MaxBatch);
        if (lease <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lease), lease, "A lease must be longer than zero.");
        }

        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A claim commits on its own so other nodes see it at once; call it outside a transaction.");
        }

        var at = Stored(now);
        var until = Stored(now + lease);
        FormattableString claim = db.Provider == StorageProvider.PostgreSql
            ? (FormattableString)$"""
               UPDATE timers SET lease_owner = {node}, lease_until = {until}, attempts = attempts + 1
               WHERE id IN (
                   SELECT id FROM timers
                   WHERE fired_at IS NULL AND due_at <= {at} AND (lease_until IS NULL OR lease_until < {at})
                   ORDER BY due_at
                   LIMIT {batch}
                   FOR UPDATE SKIP LOCKED)
               RETURNING *
               """
            : (FormattableString)$"""
               UPDATE timers SET lease_owner = {node}, lease_until = {until}, attempts = attempts + 1
               WHERE id IN (
                   SELECT id FROM timers
                   WHERE fired_at IS NULL AND due_at <= {at} AND (lease_until IS NULL OR lease_until < {at})
                   ORDER BY due_at
                   LIMIT {batch})
               RETURNING *
               """;

        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        var claimed = await db.Timers.FromSql(claim).AsNoTracking().ToListAsync(cancellationToken);

        // RETURNING promises no order.
        return claimed.OrderBy(t => t.DueAt).ThenBy(t => t.Id).ToList();
    }

    /// <summary>
    /// Marks a claimed timer fired by <paramref name="node"/>, only while that node holds its latest claim.
    /// Call it inside the transaction of the timer's effect: false means another node has claimed the timer
    /// since (or it is fired already), and the effect must be rolled back.
    /// </summary>
    public static async Task<bool> FireAsync(EnsembleDb db, DueTimer timer, string node, Instant now, CancellationToken cancellationToken = default) =>
        await db.Database.ExecuteSqlAsync(FireSql(timer, node, now), cancellationToken) == 1;

    /// <summary>
    /// Settles a claimed timer whose effect was refused for a reason a retry would not change (its template is
    /// gone, say): fired, with the reason in last_error, never retried.
    /// </summary>
    public static async Task<bool> FailAsync(EnsembleDb db, DueTimer timer, string node, Instant now, string reason, CancellationToken cancellationToken = default) =>
        await db.Database.ExecuteSqlAsync(
            $"UPDATE timers SET fired_at = {Stored(now)}, fired_by = {node}, last_error = {reason} WHERE id = {timer.Id} AND lease_owner = {node} AND attempts = {timer.Attempts} AND fired_at IS NULL",
            cancellationToken) == 1;

    /// <summary>
    /// Gives a claimed, unfired timer back: claimable again from <paramref name="retryAt"/> by any node.
    /// With a reason (an unexpected failure), the reason is kept in last_error.
    /// </summary>
    public static async Task<bool> ReleaseAsync(EnsembleDb db, DueTimer timer, string node, Instant retryAt, string? reason = null, CancellationToken cancellationToken = default)
    {
        var release = reason is null
            ? (FormattableString)$"UPDATE timers SET lease_until = {Stored(retryAt)} WHERE id = {timer.Id} AND lease_owner = {node} AND attempts = {timer.Attempts} AND fired_at IS NULL"
            : $"UPDATE timers SET lease_until = {Stored(retryAt)}, last_error = {reason} WHERE id = {timer.Id} AND lease_owner = {node} AND attempts = {timer.Attempts} AND fired_at IS NULL";
        return await db.Database.ExecuteSqlAsync(release, cancellationToken) == 1;
    }

    /// <summary>
    /// When the earliest claimable timer is due (possibly already), or null if none is: how long a node may
    /// sleep. Timers leased to other nodes are left out; one whose lease runs out is seen on the next poll.
    /// </summary>
    public static async Task<Instant?> NextDueAsync(EnsembleDb db, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var next = await db.Timers.AsNoTracking()
            .Where(t => t.FiredAt == null && (t.LeaseUntil == null || t.LeaseUntil < now))
            .OrderBy(t => t.DueAt)
            .Select(t => t.DueAt)
            .Take(1)
            .ToListAsync(cancellationToken);
        return next.Count == 0 ? null : next[0];
    }

    /// <summary>The synchronous <see cref="FireAsync"/>, for firing from inside <see cref="DbContext.SavingChanges"/>.</summary>
    internal static bool Fire(EnsembleDb db, DueTimer timer, string node, Instant now) =>
        db.Database.ExecuteSql(FireSql(timer, node, now)) == 1;

    private static FormattableString FireSql(DueTimer timer, string node, Instant now) =>
        $"UPDATE timers SET fired_at = {Stored(now)}, fired_by = {node} WHERE id = {timer.Id} AND lease_owner = {node} AND attempts = {timer.Attempts} AND fired_at IS NULL";

    private static void CheckNode(string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(node.Length, MaxNodeLength, nameof(node));
    }

    /// <summary>As <see cref="Conversions.Instant"/> stores an instant.</summary>
    private static DateTime Stored(Instant instant) => instant.ToDateTimeUtc();
}
