using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>
/// Queues a chunk of a campaign's messages: the rows <see cref="OutboxQueue.AddAsync"/> would add — each built by
/// <see cref="OutboxMessage"/>'s own constructor, keys already queued skipped, the default retention — written straight
/// to the table with one "created" audit event each, as the change tracker would record them. A campaign to a whole
/// book is 100,000 rows, and the change tracker's per-row work dominated the send; columns and conversions are read
/// from the EF model, so the table's mapping stays in one place; values are bound as stored (after conversion), as the
/// audit writer binds its own.
/// </summary>
internal static class CampaignOutbox
{
    /// <summary>Rows per INSERT on PostgreSQL (SQLite re-binds one prepared single-row statement).</summary>
    private const int RowsPerStatement = 200;

    /// <summary>
    /// Adds the envelopes whose keys are new, inside the caller's transaction; returns the messages added. With
    /// <paramref name="checkExisting"/> false the caller knows none can exist yet (a campaign's first send: its keys
    /// name the campaign), and the unique key would refuse a duplicate anyway.
    /// </summary>
    public static async Task<IReadOnlyList<OutboxMessage>> AddAsync(
        EnsembleDb db, IReadOnlyList<OutboxEnvelope> envelopes, Instant now, bool checkExisting, CancellationToken cancellationToken)
    {
        if (envelopes.Count == 0)
        {
            return [];
        }

        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in checkExisting ? envelopes.Select(e => e.Key).Chunk(500) : [])
        {
            existing.UnionWith(await db.Outbox.AsNoTracking().Where(m => chunk.Contains(m.Key)).Select(m => m.Key).ToListAsync(cancellationToken));
        }

        // Kept for the firm's books-and-records period; the sender extends it from the moment each message goes out.
        var retention = await Archive.CommunicationSettingsStore.RetentionAsync(db, cancellationToken);
        var messages = envelopes.Where(e => existing.Add(e.Key)).Select(e => new OutboxMessage(e, now, now + retention)).ToList();
        if (messages.Count == 0)
        {
            return messages;
        }

        var table = Table.Of(db);
        var rows = messages.Select(table.Values).ToList();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Campaign messages are queued inside the transaction of the send.");
        var ids = db.Provider == StorageProvider.Sqlite
            ? await InsertOneByOneAsync(connection, transaction, table, rows, cancellationToken)
            : await InsertManyAsync(connection, transaction, table, rows, cancellationToken);

        var snapshots = new Snapshots(table);
        var events = messages.Select((m, i) => new PendingAuditEvent(
            m.HouseholdId?.Value, nameof(OutboxMessage), ids[i].ToString(CultureInfo.InvariantCulture), "created", null, snapshots.Of(rows[i], ids[i]))).ToList();
        await AuditWriter.AppendAsync(db, events, db.Clock.GetCurrentInstant(), cancellationToken);
        return messages;
    }

    private static string Insert(Table table, int rows, string returning)
    {
        var sql = new StringBuilder($"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                sql.Append(c == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@p{r}_{c}");
            }

            sql.Append(')');
        }

        return sql.Append(" RETURNING ").Append(returning).ToString();
    }

    // SQLite matches parameters by name, so one prepared single-row statement re-bound per row beats wide statements.
    private static async Task<long[]> InsertOneByOneAsync(DbConnection connection, DbTransaction transaction, Table table, List<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = Insert(table, 1, table.Id.Name);
        for (var c = 0; c < table.Columns.Count; c++)
        {
            AuditWriter.AddParameter(insert, $"@p0_{c}", null);
        }

        await ServerPreparation.PrepareAsync(insert, cancellationToken);
        var ids = new long[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                insert.Parameters[c].Value = rows[i][c] ?? DBNull.Value;
            }

            ids[i] = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        return ids;
    }

    private static async Task<long[]> InsertManyAsync(DbConnection connection, DbTransaction transaction, Table table, List<object?[]> rows, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, long>(rows.Count, StringComparer.Ordinal);
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = Insert(table, chunk.Length, $"{table.Id.Name}, {table.Columns[table.KeyColumn].Name}");
            for (var r = 0; r < chunk.Length; r++)
            {
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    AuditWriter.AddParameter(insert, $"@p{r}_{c}", chunk[r][c]);
                }
            }

            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                byKey[reader.GetString(1)] = reader.GetInt64(0);
            }
        }

        return rows.Select(r => byKey[(string)r[table.KeyColumn]!]).ToArray();
    }

    /// <summary>One column of the outbox table: its property, name, type mapping and conversion, read once from the model.</summary>
    private sealed class Column(IProperty property, string name, RelationalTypeMapping mapping)
    {
        private readonly IClrPropertyGetter _getter = property.GetGetter();
        private readonly ValueConverter? _converter = property.GetValueConverter() ?? mapping.Converter;

        public IProperty Property => property;

        public string Name => name;

        public RelationalTypeMapping Mapping => mapping;

        /// <summary>The value as stored: the property's value through its conversion.</summary>
        public object? Value(OutboxMessage message)
        {
            var value = _getter.GetClrValue(message);
            return value is null ? null : _converter is null ? value : _converter.ConvertToProvider(value);
        }
    }

    /// <summary>The outbox table as the EF model maps it: the generated id and the other columns in the model's order.</summary>
    private sealed class Table
    {
        private Table(IEntityType entity)
        {
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            Name = entity.GetTableName()!;
            var id = entity.FindPrimaryKey()!.Properties.Single();
            Id = new Column(id, id.GetColumnName(store)!, (RelationalTypeMapping)id.GetTypeMapping());
            Columns = entity.GetProperties().Where(p => p != id).Select(p => new Column(p, p.GetColumnName(store)!, (RelationalTypeMapping)p.GetTypeMapping())).ToList();
            KeyColumn = Columns.ToList().FindIndex(c => c.Property.Name == nameof(OutboxMessage.Key));
            Order = entity.GetProperties().Select(p => p == id ? -1 : Columns.ToList().FindIndex(c => c.Property == p)).ToArray();
        }

        public string Name { get; }

        public Column Id { get; }

        public IReadOnlyList<Column> Columns { get; }

        public int KeyColumn { get; }

        /// <summary>The model's property order as indexes into <see cref="Columns"/> (-1: the id), as audit snapshots list them.</summary>
        public int[] Order { get; }

        public static Table Of(EnsembleDb db) => new(db.Model.FindEntityType(typeof(OutboxMessage))!);

        public object?[] Values(OutboxMessage message)
        {
            var values = new object?[Columns.Count];
            for (var c = 0; c < values.Length; c++)
            {
                values[c] = Columns[c].Value(message);
            }

            return values;
        }
    }

    /// <summary>The "after" of a created row, exactly as the change tracker's capture writes it: every property, provider values.</summary>
    private sealed class Snapshots(Table table)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public string Of(object?[] row, long id)
        {
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer))
            {
                json.WriteStartObject();
                foreach (var index in table.Order)
                {
                    var column = index < 0 ? table.Id : table.Columns[index];
                    json.WritePropertyName(column.Property.Name);
                    Write(json, index < 0 ? id : row[index]);
                }

                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }

        private static void Write(Utf8JsonWriter json, object? value)
        {
            switch (value)
            {
                case null: json.WriteNullValue(); break;
                case string s: json.WriteStringValue(s); break;
                case bool b: json.WriteBooleanValue(b); break;
                case int i: json.WriteNumberValue(i); break;
                case long l: json.WriteNumberValue(l); break;
                case decimal d: json.WriteNumberValue(d); break;
                case double d: json.WriteNumberValue(d); break;
                case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case DateTime d: json.WriteStringValue(d.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)); break;
                case Enum e: json.WriteStringValue(e.ToString()); break;
                default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
    }
}
