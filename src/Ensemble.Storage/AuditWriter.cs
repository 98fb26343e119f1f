using System.Data.Common;
using System.Globalization;
using System.Text;
using Ensemble.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Ensemble.Storage;

/// <summary>
/// Appends events to the hash chain inside the caller's transaction. The head row is locked first
/// (FOR UPDATE on PostgreSQL; SQLite transactions already hold the single write lock), so concurrent
/// writers from several processes extend the chain one after another and never fork it.
/// </summary>
internal static class AuditWriter
{
    private const int RowsPerStatement = 50;

    public static async Task AppendAsync(EnsembleDb db, IReadOnlyList<PendingAuditEvent> events, Instant now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Audit events are written inside the transaction of the change they record.");

        // PostgreSQL keeps microseconds; hashing the truncated instant keeps the chain verifiable after a round trip.
        var at = Instant.FromUnixTimeTicks(now.ToUnixTimeTicks() / 10 * 10);
        var (sequence, hash) = await ReadHeadAsync(db, connection, transaction, cancellationToken);

        var rows = new List<AuditRow>(events.Count);
        foreach (var e in events)
        {
            sequence++;
            var next = AuditChain.ComputeHash(sequence, at, db.Actor, e.HouseholdId, e.EntityType, e.EntityId, e.Action, db.Operation, e.Before, e.After, hash);
            rows.Add(new AuditRow
            {
                Sequence = sequence,
                At = at,
                Actor = db.Actor,
                HouseholdId = e.HouseholdId,
                EntityType = e.EntityType,
                EntityId = e.EntityId,
                Action = e.Action,
                Operation = db.Operation,
                Before = e.Before,
                After = e.After,
                PreviousHash = hash,
                Hash = next,
            });
            hash = next;
        }

        if (db.Provider == StorageProvider.Sqlite && rows.Count > RowsPerStatement)
        {
            await InsertPreparedAsync(connection, transaction, rows, sequence, hash, cancellationToken);
        }
        else if (connection is NpgsqlConnection npgsql && rows.Count > RowsPerStatement)
        {
            await CopyAsync(npgsql, transaction, rows, sequence, hash, cancellationToken);
        }
        else
        {
            await InsertAsync(connection, transaction, rows, sequence, hash, cancellationToken);
        }
    }

    // Large appends on SQLite (imports, bulk starts): one prepared single-row statement re-bound per event.
    // SQLite matches parameters by name, so wide multi-row statements cost more per row than they save.
    private static async Task InsertPreparedAsync(DbConnection connection, DbTransaction transaction, List<AuditRow> rows, long lastSequence, string lastHash, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO audit_events (sequence, at, actor, household_id, entity_type, entity_id, action, operation, before, after, previous_hash, hash) "
            + "VALUES (@s, @at, @actor, @hh, @type, @id, @action, @op, @before, @after, @prev, @hash)";
        var names = new[] { "@s", "@at", "@actor", "@hh", "@type", "@id", "@action", "@op", "@before", "@after", "@prev", "@hash" };
        foreach (var name in names)
        {
            AddParameter(insert, name, null);
        }

        await insert.PrepareAsync(cancellationToken);
        foreach (var r in rows)
        {
            object?[] values = [r.Sequence, r.At.ToDateTimeUtc(), r.Actor, r.HouseholdId, r.EntityType, r.EntityId, r.Action, r.Operation, r.Before, r.After, r.PreviousHash, r.Hash];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await MoveHeadAsync(connection, transaction, lastSequence, lastHash, cancellationToken);
    }

    // Large appends on PostgreSQL (imports, bulk starts): binary COPY, which joins the open transaction and sends each value as it is stored.
    private static async Task CopyAsync(NpgsqlConnection connection, DbTransaction transaction, List<AuditRow> rows, long lastSequence, string lastHash, CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY audit_events (sequence, at, actor, household_id, entity_type, entity_id, action, operation, before, after, previous_hash, hash) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.Sequence, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.At.ToDateTimeUtc(), NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.Actor, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteNullableAsync(r.HouseholdId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.EntityType, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.EntityId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Action, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteNullableAsync(r.Operation, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteNullableAsync(r.Before, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteNullableAsync(r.After, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.PreviousHash, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Hash, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await MoveHeadAsync(connection, transaction, lastSequence, lastHash, cancellationToken);
    }

    private static async Task MoveHeadAsync(DbConnection connection, DbTransaction transaction, long lastSequence, string lastHash, CancellationToken cancellationToken)
    {
        await using var head = connection.CreateCommand();
        head.Transaction = transaction;
        head.CommandText = "UPDATE audit_head SET last_sequence = @s, last_hash = @h WHERE id = 1";
        AddParameter(head, "@s", lastSequence);
        AddParameter(head, "@h", lastHash);
        await head.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<(long Sequence, string Hash)> ReadHeadAsync(EnsembleDb db, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = db.Provider == StorageProvider.PostgreSql
            ? "SELECT last_sequence, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"
            : "SELECT last_sequence, last_hash FROM audit_head WHERE id = 1";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The audit head row is missing; the database was not created by Ensemble's migrations.");
        }

        return (reader.GetInt64(0), reader.GetString(1));
    }

    // The head moves in the same batch as the last insert: one round trip fewer while the head row is locked.
    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, List<AuditRow> rows, long lastSequence, string lastHash, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < rows.Count; offset += RowsPerStatement)
        {
            var chunk = rows.Skip(offset).Take(RowsPerStatement).ToList();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO audit_events (sequence, at, actor, household_id, entity_type, entity_id, action, operation, before, after, previous_hash, hash) VALUES ");
            for (var i = 0; i < chunk.Count; i++)
            {
                var r = chunk[i];
                var p = "@p" + i.ToString(CultureInfo.InvariantCulture) + "_";
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({p}0, {p}1, {p}2, {p}3, {p}4, {p}5, {p}6, {p}7, {p}8, {p}9, {p}10, {p}11)");
                AddParameter(insert, p + "0", r.Sequence);
                AddParameter(insert, p + "1", r.At.ToDateTimeUtc());
                AddParameter(insert, p + "2", r.Actor);
                AddParameter(insert, p + "3", r.HouseholdId);
                AddParameter(insert, p + "4", r.EntityType);
                AddParameter(insert, p + "5", r.EntityId);
                AddParameter(insert, p + "6", r.Action);
                AddParameter(insert, p + "7", r.Operation);
                AddParameter(insert, p + "8", r.Before);
                AddParameter(insert, p + "9", r.After);
                AddParameter(insert, p + "10", r.PreviousHash);
                AddParameter(insert, p + "11", r.Hash);
            }

            if (offset + RowsPerStatement >= rows.Count)
            {
                sql.Append("; UPDATE audit_head SET last_sequence = @head_s, last_hash = @head_h WHERE id = 1");
                AddParameter(insert, "@head_s", lastSequence);
                AddParameter(insert, "@head_h", lastHash);
            }

            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
