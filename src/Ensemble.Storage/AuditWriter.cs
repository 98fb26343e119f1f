using System.Data.Common;
using System.Text;
using Ensemble.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Ensemble.Storage;

/// <summary>
/// Appends events to the hash chain inside the caller's transaction. The head row is locked before it moves
/// (SQLite transactions already hold the single write lock; PostgreSQL locks the row, by FOR UPDATE or by the
/// update that moves it), so concurrent writers from several processes extend the chain one after another and
/// never fork it.
/// </summary>
internal static class AuditWriter
{
    private const int RowsPerStatement = 50;

    // SQLite finds each named value by a scan of the statement's names, so a wide statement costs more per row than a
    // prepared one-row statement run again; a commit group's append is wide.
    private const int RowsPerSqliteStatement = 4;

    // Every change writes its events with one of these statements, so each is built once per row count and kept.
    private static readonly string[][] RowParameters = ParameterNames.Grid("p", RowsPerStatement, 12);

    // $1-$12: the events' columns as arrays; $13, $14: the head expected; $15, $16: the head after these events.
    private const string ForecastInsert = "WITH head AS (UPDATE audit_head SET "
        + "last_sequence = CASE WHEN last_sequence = $13 AND last_hash = $14 THEN $15 ELSE last_sequence END, "
        + "last_hash = CASE WHEN last_sequence = $13 AND last_hash = $14 THEN $16 ELSE last_hash END "
        + "WHERE id = 1 RETURNING last_sequence = $15 AND last_hash = $16 AS moved) "
        + "INSERT INTO audit_events (sequence, at, actor, household_id, entity_type, entity_id, action, operation, before, after, previous_hash, hash) "
        + "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        + "WHERE EXISTS (SELECT 1 FROM head WHERE moved)";
    private static readonly string?[] PlainSql = new string?[RowsPerStatement + 1];
    private static readonly string?[] PlainSqlMovingHead = new string?[RowsPerStatement + 1];

    public static Task AppendAsync(EnsembleDb db, IReadOnlyList<PendingAuditEvent> events, Instant now, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        var batch = BatchOf(db, events, now);
        if (db.DeferredAudit is { } deferred)
        {
            // A change in a PostgreSQL commit group: the group appends every kept change's events at once (CommitGroup).
            deferred.Add(batch);
            return Task.CompletedTask;
        }

        return AppendAsync(db, [batch], cancellationToken);
    }

    /// <summary>The events of a change made through <paramref name="db"/>, by its actor for its operation, at <paramref name="now"/>.</summary>
    /// <remarks>PostgreSQL keeps microseconds; hashing the truncated instant keeps the chain verifiable after a round trip.</remarks>
    public static AuditBatch BatchOf(EnsembleDb db, IReadOnlyList<PendingAuditEvent> events, Instant now) =>
        new(events, db.Actor, db.Operation, Instant.FromUnixTimeTicks(now.ToUnixTimeTicks() / 10 * 10));

    /// <summary>Appends the batches' events in order, each with its own actor, operation and time.</summary>
    public static async Task AppendAsync(EnsembleDb db, IReadOnlyList<AuditBatch> batches, CancellationToken cancellationToken)
    {
        var count = batches.Sum(b => b.Events.Count);
        if (count == 0)
        {
            return;
        }

        var connection = db.Database.GetDbConnection();
        var current = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Audit events are written inside the transaction of the change they record.");
        var transaction = current.GetDbTransaction();
        if (connection is NpgsqlConnection npgsql && count <= RowsPerStatement)
        {
            await AppendByForecastAsync(db, npgsql, current.TransactionId, transaction, batches, cancellationToken);
            return;
        }

        var head = await ReadHeadAsync(db, connection, transaction, cancellationToken);
        var (rows, last) = Chain(batches, head);
        if (db.Provider == StorageProvider.Sqlite && rows.Count > RowsPerSqliteStatement)
        {
            await InsertPreparedAsync(connection, transaction, rows, last, cancellationToken);
        }
        else if (connection is NpgsqlConnection bulk && rows.Count > RowsPerStatement)
        {
            await CopyAsync(bulk, transaction, rows, last, cancellationToken);
        }
        else
        {
            await InsertAsync(connection, transaction, rows, last, cancellationToken);
        }

        Remember(db, current.TransactionId, last);
    }

    // Small appends on PostgreSQL (every request's change): hashed on the forecast head and written in one statement,
    // so the head row is locked for one round trip and the commit rather than three (see AuditHeadForecast).
    private static async Task AppendByForecastAsync(
        EnsembleDb db, NpgsqlConnection connection, Guid transactionId, DbTransaction transaction, IReadOnlyList<AuditBatch> events,
        CancellationToken cancellationToken)
    {
        if (db.HeldAuditHead is { } held && held.TransactionId == transactionId)
        {
            // This transaction moved the head already and holds its lock, so it knows where the head is. It must not
            // queue for the turn: the holder of the turn may be waiting for this transaction to end.
            var (heldRows, heldLast) = Chain(events, held.Position);
            if (await InsertIfHeadAtAsync(connection, transaction, heldRows, held.Position, heldLast, cancellationToken) == heldRows.Count)
            {
                Remember(db, transactionId, heldLast);
                return;
            }

            await AppendUnderLockAsync(db, connection, transactionId, transaction, events, cancellationToken);
            return;
        }

        var forecast = AuditHeadForecast.For(db);
        await forecast.Turn.WaitAsync(cancellationToken);
        try
        {
            if (forecast.Expected is { } expected)
            {
                var (rows, last) = Chain(events, expected);
                if (await InsertIfHeadAtAsync(connection, transaction, rows, expected, last, cancellationToken) == rows.Count)
                {
                    Remember(db, transactionId, last);
                    return;
                }
            }

            // No forecast yet, or a wrong one.
            forecast.Missed();
            await AppendUnderLockAsync(db, connection, transactionId, transaction, events, cancellationToken);
        }
        finally
        {
            forecast.Turn.Release();
        }
    }

    private static async Task AppendUnderLockAsync(
        EnsembleDb db, NpgsqlConnection connection, Guid transactionId, DbTransaction transaction, IReadOnlyList<AuditBatch> events,
        CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(db, connection, transaction, cancellationToken);
        var (rows, last) = Chain(events, head);
        await InsertAsync(connection, transaction, rows, last, cancellationToken);
        Remember(db, transactionId, last);
    }

    // The transaction holds the head's lock until it ends; the next writer in this process expects the head it leaves.
    private static void Remember(EnsembleDb db, Guid transactionId, AuditHeadPosition last)
    {
        if (db.Provider == StorageProvider.PostgreSql)
        {
            db.HeldAuditHead = new HeldAuditHead(transactionId, last);
            AuditHeadForecast.For(db).Expected = last;
        }
    }

    private static (List<AuditRow> Rows, AuditHeadPosition Last) Chain(IReadOnlyList<AuditBatch> batches, AuditHeadPosition head)
    {
        var (sequence, hash) = (head.Sequence, head.Hash);
        var rows = new List<AuditRow>(batches.Sum(b => b.Events.Count));
        foreach (var batch in batches)
        {
            foreach (var e in batch.Events)
            {
                sequence++;
                var next = AuditChain.ComputeHash(sequence, batch.At, batch.Actor, e.HouseholdId, e.EntityType, e.EntityId, e.Action, batch.Operation, e.Before, e.After, hash);
                rows.Add(new AuditRow
                {
                    Sequence = sequence,
                    At = batch.At,
                    Actor = batch.Actor,
                    HouseholdId = e.HouseholdId,
                    EntityType = e.EntityType,
                    EntityId = e.EntityId,
                    Action = e.Action,
                    Operation = batch.Operation,
                    Before = e.Before,
                    After = e.After,
                    PreviousHash = hash,
                    Hash = next,
                });
                hash = next;
            }
        }

        return (rows, new AuditHeadPosition(sequence, hash));
    }

    // One statement: move the head from where it is expected to be, and write the events only if it moved. A head that
    // is elsewhere keeps its place and nothing is written (0 rows).
    // The forecast is compared in SET, not in WHERE: the statement's snapshot still shows the head as it was before a
    // writer that has not committed yet, so a WHERE on the forecast would skip the row without waiting. Matching on the
    // id alone makes the UPDATE wait for that writer and then work on the head it committed.
    private static async Task<int> InsertIfHeadAtAsync(
        NpgsqlConnection connection, DbTransaction transaction, List<AuditRow> rows, AuditHeadPosition expected, AuditHeadPosition last, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = (NpgsqlTransaction)transaction;
        insert.CommandText = ForecastInsert;
        Column(insert, NpgsqlDbType.Bigint, rows, r => r.Sequence);
        Column(insert, NpgsqlDbType.TimestampTz, rows, r => r.At.ToDateTimeUtc());
        Column(insert, NpgsqlDbType.Text, rows, r => r.Actor);
        Column(insert, NpgsqlDbType.Bigint, rows, r => r.HouseholdId);
        Column(insert, NpgsqlDbType.Text, rows, r => r.EntityType);
        Column(insert, NpgsqlDbType.Text, rows, r => r.EntityId);
        Column(insert, NpgsqlDbType.Text, rows, r => r.Action);
        Column(insert, NpgsqlDbType.Text, rows, r => r.Operation);
        Column(insert, NpgsqlDbType.Text, rows, r => r.Before);
        Column(insert, NpgsqlDbType.Text, rows, r => r.After);
        Column(insert, NpgsqlDbType.Text, rows, r => r.PreviousHash);
        Column(insert, NpgsqlDbType.Text, rows, r => r.Hash);
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.Sequence });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = expected.Hash });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last.Sequence });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = last.Hash });
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    // One array per column: the text is the same for any number of events, so it is prepared once per connection and
    // planned once, where a VALUES list per row count was parsed and planned again on most appends.
    private static void Column<T>(NpgsqlCommand command, NpgsqlDbType type, List<AuditRow> rows, Func<AuditRow, T> value)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        command.Parameters.Add(new NpgsqlParameter<T[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = values });
    }

    // Large appends on SQLite (imports, bulk starts): one prepared single-row statement re-bound per event.
    // SQLite matches parameters by name, so wide multi-row statements cost more per row than they save.
    private static async Task InsertPreparedAsync(DbConnection connection, DbTransaction transaction, List<AuditRow> rows, AuditHeadPosition last, CancellationToken cancellationToken)
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

        await ServerPreparation.PrepareAsync(insert, cancellationToken);
        foreach (var r in rows)
        {
            object?[] values = [r.Sequence, r.At.ToDateTimeUtc(), r.Actor, r.HouseholdId, r.EntityType, r.EntityId, r.Action, r.Operation, r.Before, r.After, r.PreviousHash, r.Hash];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await MoveHeadAsync(connection, transaction, last, cancellationToken);
    }

    // Large appends on PostgreSQL (imports, bulk starts): binary COPY, which joins the open transaction and sends each value as it is stored.
    private static async Task CopyAsync(NpgsqlConnection connection, DbTransaction transaction, List<AuditRow> rows, AuditHeadPosition last, CancellationToken cancellationToken)
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

        await MoveHeadAsync(connection, transaction, last, cancellationToken);
    }

    private static async Task MoveHeadAsync(DbConnection connection, DbTransaction transaction, AuditHeadPosition last, CancellationToken cancellationToken)
    {
        await using var head = connection.CreateCommand();
        head.Transaction = transaction;
        head.CommandText = "UPDATE audit_head SET last_sequence = @s, last_hash = @h WHERE id = 1";
        AddParameter(head, "@s", last.Sequence);
        AddParameter(head, "@h", last.Hash);
        await SqliteStatementCache.ExecuteNonQueryAsync(head, cancellationToken);
    }

    private static async Task<AuditHeadPosition> ReadHeadAsync(EnsembleDb db, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = db.Provider == StorageProvider.PostgreSql
            ? "SELECT last_sequence, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"
            : "SELECT last_sequence, last_hash FROM audit_head WHERE id = 1";
        await using var reader = await SqliteStatementCache.ExecuteReaderAsync(read, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The audit head row is missing; the database was not created by Ensemble's migrations.");
        }

        return new AuditHeadPosition(reader.GetInt64(0), reader.GetString(1));
    }

    // The head moves in the same batch as the last insert: one round trip fewer while the head row is locked.
    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, List<AuditRow> rows, AuditHeadPosition last, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < rows.Count; offset += RowsPerStatement)
        {
            var chunk = rows.Skip(offset).Take(RowsPerStatement).ToList();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            for (var i = 0; i < chunk.Count; i++)
            {
                AddRowParameters(insert, i, chunk[i]);
            }

            var movesHead = offset + RowsPerStatement >= rows.Count;
            if (movesHead)
            {
                AddParameter(insert, "@head_s", last.Sequence);
                AddParameter(insert, "@head_h", last.Hash);
            }

            var cached = movesHead ? PlainSqlMovingHead : PlainSql;
            insert.CommandText = cached[chunk.Count] ??= PlainInsert(chunk.Count, movesHead);
            await SqliteStatementCache.ExecuteNonQueryAsync(insert, cancellationToken);
        }
    }

    private static string PlainInsert(int count, bool movesHead)
    {
        var sql = new StringBuilder("INSERT INTO audit_events (sequence, at, actor, household_id, entity_type, entity_id, action, operation, before, after, previous_hash, hash) VALUES ");
        for (var i = 0; i < count; i++)
        {
            sql.Append(i == 0 ? "(" : ", (").AppendJoin(", ", RowParameters[i]).Append(')');
        }

        if (movesHead)
        {
            sql.Append("; UPDATE audit_head SET last_sequence = @head_s, last_hash = @head_h WHERE id = 1");
        }

        return sql.ToString();
    }

    private static void AddRowParameters(DbCommand insert, int row, AuditRow r)
    {
        var p = RowParameters[row];
        AddParameter(insert, p[0], r.Sequence);
        AddParameter(insert, p[1], r.At.ToDateTimeUtc());
        AddParameter(insert, p[2], r.Actor);
        AddParameter(insert, p[3], r.HouseholdId);
        AddParameter(insert, p[4], r.EntityType);
        AddParameter(insert, p[5], r.EntityId);
        AddParameter(insert, p[6], r.Action);
        AddParameter(insert, p[7], r.Operation);
        AddParameter(insert, p[8], r.Before);
        AddParameter(insert, p[9], r.After);
        AddParameter(insert, p[10], r.PreviousHash);
        AddParameter(insert, p[11], r.Hash);
    }

    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
