using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// The outbox's claims: a sender takes a small batch of due messages with one statement (PostgreSQL skips rows
/// another node has locked; SQLite has one writer), holds them under a lease, and settles each with a write that only
/// lands while its claim stands. No global lock row, and never more than one batch read.
/// </summary>
internal static class OutboxClaims
{
    public static async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(EnsembleDb db, string owner, Instant now, int batch, Duration lease, bool includeEmail, CancellationToken cancellationToken)
    {
        var at = now.ToDateTimeUtc();
        var until = (now + lease).ToDateTimeUtc();

        // Email waits in the outbox while no mail server is configured; letters and portal messages go regardless.
        var email = includeEmail ? "" : "AND channel <> 'Email'";
        var locking = db.Provider == StorageProvider.PostgreSql ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE outbox_messages SET status = 'Sending', claimed_by = {0}, lease_until = {1}, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE ((status = 'Queued' AND next_attempt_at <= {2}) OR (status = 'Sending' AND lease_until < {2})) {{email}}
                ORDER BY next_attempt_at, id
                LIMIT {3}
                {{locking}})
            RETURNING *
            """;
        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        var claimed = await db.Outbox.FromSqlRaw(sql, owner, until, at, batch).AsNoTracking().ToListAsync(cancellationToken);
        return claimed.OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).ToList();
    }

    /// <summary>Settles what one pass did, in one transaction; each write lands only while this owner still holds the claim.</summary>
    public static async Task SettleAsync(EnsembleDb db, string owner, IReadOnlyList<Settlement> settlements, CancellationToken cancellationToken)
    {
        if (settlements.Count == 0)
        {
            return;
        }

        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        // The common case, sent, in one statement per chunk: one round trip instead of one per message.
        foreach (var chunk in settlements.Where(s => s.Status == DeliveryStatus.Sent).Chunk(200))
        {
            await SettleSentAsync(db, owner, chunk, cancellationToken);
        }

        foreach (var s in settlements.Where(s => s.Status != DeliveryStatus.Sent))
        {
            var at = s.At.ToDateTimeUtc();
            _ = s.Status switch
            {
                DeliveryStatus.Queued => await db.Database.ExecuteSqlAsync(
                    $"""
                    UPDATE outbox_messages SET status = 'Queued', next_attempt_at = {s.NextAttemptAt!.Value.ToDateTimeUtc()}, last_error = {s.Error},
                        claimed_by = NULL, lease_until = NULL
                    WHERE id = {s.Id} AND claimed_by = {owner} AND status = 'Sending'
                    """, cancellationToken),
                DeliveryStatus.Failed => await db.Database.ExecuteSqlAsync(
                    $"""
                    UPDATE outbox_messages SET status = 'Failed', failed_at = {at}, last_error = {s.Error}, claimed_by = NULL, lease_until = NULL
                    WHERE id = {s.Id} AND claimed_by = {owner} AND status = 'Sending'
                    """, cancellationToken),
                _ => throw new InvalidOperationException($"A send cannot settle as {s.Status}."),
            };
        }

        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Marks a chunk of sent messages with their own times, batches and notes, in one UPDATE … FROM (VALUES …).</summary>
    private static async Task SettleSentAsync(EnsembleDb db, string owner, Settlement[] chunk, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new System.Text.StringBuilder("WITH v(id, sent_at, retain_until, batch, note) AS (VALUES ");
        Add(command, "owner", owner);
        for (var i = 0; i < chunk.Length; i++)
        {
            var s = chunk[i];
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append($"(@i{n}, @s{n}, @r{n}, @b{n}, @e{n})");
            Add(command, "i" + n, s.Id);
            Add(command, "s" + n, s.At.ToDateTimeUtc());
            Add(command, "r" + n, s.RetainUntil.ToDateTimeUtc());
            Add(command, "b" + n, s.Batch, text: true);
            Add(command, "e" + n, s.Error, text: true);
        }

        command.CommandText = sql.Append("""
            )
            UPDATE outbox_messages SET status = 'Sent', sent_at = v.sent_at, retain_until = v.retain_until, batch = v.batch, last_error = v.note,
                claimed_by = NULL, lease_until = NULL
            FROM v
            WHERE outbox_messages.id = v.id AND outbox_messages.claimed_by = @owner AND outbox_messages.status = 'Sending'
            """).ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object? value, bool text = false)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (text)
        {
            parameter.DbType = System.Data.DbType.String;
        }

        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Settles a dead sender's journal: what it had committed is marked sent (it reached the server or was about to,
    /// and must not go twice); the rest of its claims go back to the queue at once instead of waiting for the lease.
    /// </summary>
    public static async Task<(int Sent, int Requeued)> RecoverAsync(EnsembleDb db, OrphanJournal orphan, Instant now, CancellationToken cancellationToken)
    {
        var at = now.ToDateTimeUtc();
        var sent = 0;
        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var chunk in orphan.CommittedIds.Distinct().Chunk(500))
        {
            var ids = chunk.ToList();
            sent += await db.Outbox
                .Where(m => ids.Contains(m.Id) && (m.Status == DeliveryStatus.Sending || m.Status == DeliveryStatus.Queued))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.Status, DeliveryStatus.Sent)
                    .SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.LastError, "Sent by a process that stopped before recording it; recovered from its send journal.")
                    .SetProperty(m => m.ClaimedBy, (string?)null)
                    .SetProperty(m => m.LeaseUntil, (Instant?)null), cancellationToken);
        }

        var requeued = await db.Database.ExecuteSqlAsync(
            $"UPDATE outbox_messages SET status = 'Queued', next_attempt_at = {at}, claimed_by = NULL, lease_until = NULL WHERE claimed_by = {orphan.Owner} AND status = 'Sending'",
            cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (sent, requeued);
    }

    /// <summary>Gives back claims this owner did not get to (a stop mid-batch): due again at once.</summary>
    public static async Task ReleaseAsync(EnsembleDb db, string owner, IReadOnlyCollection<long> ids, Instant now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var list = ids.ToList();
        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        await db.Outbox
            .Where(m => list.Contains(m.Id) && m.ClaimedBy == owner && m.Status == DeliveryStatus.Sending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, DeliveryStatus.Queued)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.Attempts, m => m.Attempts - 1)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.LeaseUntil, (Instant?)null), cancellationToken);
    }
}

/// <summary>How one claimed message ended in a pass.</summary>
internal sealed record Settlement(long Id, DeliveryStatus Status, Instant At, Instant RetainUntil, string? Error = null, Instant? NextAttemptAt = null, string? Batch = null);
