using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>
/// Writes a laid-out year straight to the tables, a chunk per transaction, with one audit event per row
/// changed exactly as the change tracker would record it: review months given, meetings added, processes
/// attached. A year for a whole book is hundreds of thousands of rows, and the change tracker's per-entity
/// work would cost more than the writing. Every statement is conditional (insert unless the meeting exists,
/// update only a still-empty column), so a re-run or a concurrent lay-out writes nothing twice.
/// </summary>
internal static class ServiceCalendarWriter
{
    public const int ChunkSize = 5_000;

    /// <summary>SQLite page cache while a lay-out writes (KiB, as PRAGMA cache_size takes it when negative).</summary>
    private const int LargeCacheKib = 64 * 1024;

    private const string TouchpointColumns = "household_id, year, sequence, kind, starts_at, minutes, advisor_id, topic, instance_id, status, held_at, note, version";

    /// <summary>Gives households their review month where they have none yet; returns how many were set.</summary>
    public static async Task<int> SaveReviewMonthsAsync(EnsembleDb db, IReadOnlyDictionary<HouseholdId, int> months, IClock clock, CancellationToken ct)
    {
        var written = 0;
        foreach (var chunk in months.OrderBy(m => m.Key.Value).Chunk(ChunkSize))
        {
            written += await InChunkAsync(db, clock, async (connection, tx) =>
            {
                var changed = new List<(long Id, int Month)>(chunk.Length);
                if (db.Provider == StorageProvider.PostgreSql)
                {
                    await using var update = Command(connection, tx,
                        "UPDATE households AS h SET review_month = u.m FROM unnest(@ids, @months) AS u(id, m) "
                        + "WHERE h.id = u.id AND h.review_month IS NULL RETURNING h.id, u.m");
                    AuditWriter.AddParameter(update, "@ids", chunk.Select(m => m.Key.Value).ToArray());
                    AuditWriter.AddParameter(update, "@months", chunk.Select(m => m.Value).ToArray());
                    await using var rows = await update.ExecuteReaderAsync(ct);
                    while (await rows.ReadAsync(ct))
                    {
                        changed.Add((rows.GetInt64(0), rows.GetInt32(1)));
                    }
                }
                else
                {
                    await using var update = Command(connection, tx, "UPDATE households SET review_month = @m WHERE id = @id AND review_month IS NULL");
                    AuditWriter.AddParameter(update, "@m", 0);
                    AuditWriter.AddParameter(update, "@id", 0L);
                    await ServerPreparation.PrepareAsync(update, ct);
                    foreach (var (household, month) in chunk)
                    {
                        update.Parameters[0].Value = month;
                        update.Parameters[1].Value = household.Value;
                        if (await update.ExecuteNonQueryAsync(ct) == 1)
                        {
                            changed.Add((household.Value, month));
                        }
                    }
                }

                return (changed.Count, changed.Select(c => new PendingAuditEvent(
                    c.Id, nameof(Household), Text(c.Id), "updated", """{"ReviewMonth":null}""", $$"""{"ReviewMonth":{{Text(c.Month)}}}""")).ToList());
            }, ct);
        }

        return written;
    }

    /// <summary>Adds the placed meetings that are not in the calendar yet; returns those added, with their ids.</summary>
    public static async Task<List<(TouchpointId Id, PlannedTouchpoint Meeting)>> InsertAsync(EnsembleDb db, IReadOnlyList<PlannedTouchpoint> placed, IClock clock, CancellationToken ct)
    {
        var added = new List<(TouchpointId, PlannedTouchpoint)>(placed.Count);
        foreach (var chunk in placed.Chunk(ChunkSize))
        {
            await InChunkAsync(db, clock, async (connection, tx) =>
            {
                var fresh = new List<(long Id, PlannedTouchpoint Meeting)>(chunk.Length);
                if (db.Provider == StorageProvider.PostgreSql)
                {
                    await using var insert = Command(connection, tx,
                        $"INSERT INTO touchpoints ({TouchpointColumns}) "
                        + "SELECT h, y, s, k, t, m, a, topic, NULL, 'Planned', NULL, note, 0 "
                        + "FROM unnest(@h, @y, @s, @k, @t, @m, @a, @topic, @note) AS u(h, y, s, k, t, m, a, topic, note) "
                        + "ON CONFLICT (household_id, year, sequence) DO NOTHING RETURNING id, household_id, year, sequence");
                    AuditWriter.AddParameter(insert, "@h", chunk.Select(p => p.HouseholdId.Value).ToArray());
                    AuditWriter.AddParameter(insert, "@y", chunk.Select(p => p.Year).ToArray());
                    AuditWriter.AddParameter(insert, "@s", chunk.Select(p => p.Sequence).ToArray());
                    AuditWriter.AddParameter(insert, "@k", chunk.Select(p => p.Kind.ToString()).ToArray());
                    AuditWriter.AddParameter(insert, "@t", chunk.Select(p => StartsAt(p.StartsAt)).ToArray());
                    AuditWriter.AddParameter(insert, "@m", chunk.Select(p => p.Minutes).ToArray());
                    AuditWriter.AddParameter(insert, "@a", chunk.Select(p => p.AdvisorId.Value).ToArray());
                    AuditWriter.AddParameter(insert, "@topic", chunk.Select(p => p.Topic).ToArray());
                    AuditWriter.AddParameter(insert, "@note", chunk.Select(p => p.TopicNote).ToArray());
                    var byKey = chunk.ToDictionary(p => (p.HouseholdId.Value, p.Year, p.Sequence));
                    await using var rows = await insert.ExecuteReaderAsync(ct);
                    while (await rows.ReadAsync(ct))
                    {
                        fresh.Add((rows.GetInt64(0), byKey[(rows.GetInt64(1), rows.GetInt32(2), rows.GetInt32(3))]));
                    }
                }
                else
                {
                    // The transaction holds SQLite's write lock, so the ids after the highest ever used are ours: no
                    // RETURNING per row, which costs more than the insert. A meeting already there inserts nothing.
                    await using var next = Command(connection, tx,
                        "SELECT MAX(COALESCE((SELECT MAX(id) FROM touchpoints), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'touchpoints'), 0))");
                    var id = Convert.ToInt64(await next.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                    await using var insert = Command(connection, tx,
                        $"INSERT INTO touchpoints (id, {TouchpointColumns}) VALUES (@id, @h, @y, @s, @k, @t, @m, @a, @topic, NULL, 'Planned', NULL, @note, 0) "
                        + "ON CONFLICT (household_id, year, sequence) DO NOTHING");
                    foreach (var name in new[] { "@id", "@h", "@y", "@s", "@k", "@t", "@m", "@a", "@topic", "@note" })
                    {
                        AuditWriter.AddParameter(insert, name, null);
                    }

                    await ServerPreparation.PrepareAsync(insert, ct);
                    foreach (var p in chunk)
                    {
                        object?[] values = [id + 1, p.HouseholdId.Value, p.Year, p.Sequence, p.Kind.ToString(), StartsAt(p.StartsAt), p.Minutes, p.AdvisorId.Value, p.Topic, p.TopicNote];
                        for (var i = 0; i < values.Length; i++)
                        {
                            insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                        }

                        if (await insert.ExecuteNonQueryAsync(ct) == 1)
                        {
                            fresh.Add((++id, p));
                        }
                    }
                }

                added.AddRange(fresh.Select(f => (new TouchpointId(f.Id), f.Meeting)));
                return (fresh.Count, fresh.Select(f => new PendingAuditEvent(
                    f.Meeting.HouseholdId.Value, nameof(Touchpoint), Text(f.Id), "created", null, Snapshot(f.Id, f.Meeting))).ToList());
            }, ct);
        }

        return added;
    }

    /// <summary>Records on each meeting the process that prepares it, where none is recorded yet; returns how many were.</summary>
    public static async Task<int> AttachAsync(EnsembleDb db, IReadOnlyList<(TouchpointId Touchpoint, HouseholdId Household, InstanceId Instance)> links, IClock clock, CancellationToken ct)
    {
        var written = 0;
        foreach (var chunk in links.Chunk(ChunkSize))
        {
            written += await InChunkAsync(db, clock, async (connection, tx) =>
            {
                var changed = new List<(long Touchpoint, long Household, long Instance)>(chunk.Length);
                if (db.Provider == StorageProvider.PostgreSql)
                {
                    await using var update = Command(connection, tx,
                        "UPDATE touchpoints AS t SET instance_id = u.i, version = t.version + 1 FROM unnest(@ids, @instances) AS u(id, i) "
                        + "WHERE t.id = u.id AND t.instance_id IS NULL RETURNING t.id, t.household_id, u.i");
                    AuditWriter.AddParameter(update, "@ids", chunk.Select(l => l.Touchpoint.Value).ToArray());
                    AuditWriter.AddParameter(update, "@instances", chunk.Select(l => l.Instance.Value).ToArray());
                    await using var rows = await update.ExecuteReaderAsync(ct);
                    while (await rows.ReadAsync(ct))
                    {
                        changed.Add((rows.GetInt64(0), rows.GetInt64(1), rows.GetInt64(2)));
                    }
                }
                else
                {
                    await using var update = Command(connection, tx, "UPDATE touchpoints SET instance_id = @i, version = version + 1 WHERE id = @id AND instance_id IS NULL");
                    AuditWriter.AddParameter(update, "@i", 0L);
                    AuditWriter.AddParameter(update, "@id", 0L);
                    await ServerPreparation.PrepareAsync(update, ct);
                    foreach (var (touchpoint, household, instance) in chunk)
                    {
                        update.Parameters[0].Value = instance.Value;
                        update.Parameters[1].Value = touchpoint.Value;
                        if (await update.ExecuteNonQueryAsync(ct) == 1)
                        {
                            changed.Add((touchpoint.Value, household.Value, instance.Value));
                        }
                    }
                }

                return (changed.Count, changed.Select(c => new PendingAuditEvent(
                    c.Household, nameof(Touchpoint), Text(c.Touchpoint), "updated", """{"InstanceId":null}""", $$"""{"InstanceId":{{Text(c.Instance)}}}""")).ToList());
            }, ct);
        }

        return written;
    }

    /// <summary>
    /// Runs writes on one open connection with, on SQLite, a page cache large enough for the indexes being
    /// extended (the default 2 MB makes a book-sized insert miss it on nearly every row); the connection's own
    /// setting is put back afterwards, since pooled connections are shared.
    /// </summary>
    public static async Task<T> WithLargeCacheAsync<T>(EnsembleDb db, Func<Task<T>> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        string? restore = null;
        try
        {
            if (db.Provider == StorageProvider.Sqlite)
            {
                restore = await SqlScalar.ReadAsync(db, "PRAGMA cache_size", ct);
                await SqlScalar.ReadAsync(db, $"PRAGMA cache_size = -{LargeCacheKib.ToString(CultureInfo.InvariantCulture)}", ct);
            }

            return await work();
        }
        finally
        {
            if (restore is not null)
            {
                await SqlScalar.ReadAsync(db, $"PRAGMA cache_size = {restore}", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One chunk in one transaction, in turn with the process's other SQLite writers: the rows, then their audit events, then commit.</summary>
    private static async Task<int> InChunkAsync(
        EnsembleDb db, IClock clock, Func<DbConnection, DbTransaction, Task<(int Count, List<PendingAuditEvent> Events)>> write, CancellationToken ct)
    {
        using var turn = await WriteGate.EnterAsync(db, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (count, events) = await write(db.Database.GetDbConnection(), transaction.GetDbTransaction());
            await AuditWriter.AppendAsync(db, events, clock.GetCurrentInstant(), ct);
            await transaction.CommitAsync(ct);
            return count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    /// <summary>As the model stores a meeting's start (see Conversions.LocalDateTime).</summary>
    private static string StartsAt(LocalDateTime at) => (string)Conversions.LocalDateTime.ConvertToProvider(at)!;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The "created" snapshot the change tracker would write for the row: every column, by property name.</summary>
    private static string Snapshot(long id, PlannedTouchpoint p)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("Id", id);
            json.WriteNumber("AdvisorId", p.AdvisorId.Value);
            json.WriteNull("HeldAt");
            json.WriteNumber("HouseholdId", p.HouseholdId.Value);
            json.WriteNull("InstanceId");
            json.WriteString("Kind", p.Kind.ToString());
            json.WriteNumber("Minutes", p.Minutes);
            json.WriteString("Note", p.TopicNote);
            json.WriteNumber("Sequence", p.Sequence);
            json.WriteString("StartsAt", StartsAt(p.StartsAt));
            json.WriteString("Status", nameof(TouchpointStatus.Planned));
            json.WriteString("Topic", p.Topic);
            json.WriteNumber("Version", 0);
            json.WriteNumber("Year", p.Year);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
