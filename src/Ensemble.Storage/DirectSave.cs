using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ensemble.Storage;

/// <summary>
/// Saves a transition's few changed rows in one command of plain statements: an UPDATE of the changed columns per
/// modified row, checked against its version, and an INSERT per new row that returns its id. EF Core's update pipeline
/// (sorting commands by their dependencies, building a batch, fixing up the graph) cost a completion more CPU than its
/// SQL did. Anything this does not cover is left to EF Core: the caller falls back when it answers null.
/// </summary>
/// <remarks>
/// Covered: rows of entity types mapped to a table of their own, with plain columns, an id the database generates and
/// concurrency tokens compared as EF Core would; new rows whose principals already exist. Not covered: deletions, new
/// rows that depend on other new rows, complex or owned types, shared tables, other store-generated values.
/// Values go through each column's own type mapping, so they are stored exactly as EF Core stores them.
/// </remarks>
internal static class DirectSave
{
    // More rows than a transition writes: a larger change is EF Core's to batch.
    private const int MostRows = 8;

    // Which columns an update sets is kept as a bit mask.
    private const int MostColumns = 64;

    private static readonly ConcurrentDictionary<IEntityType, Shape?> Shapes = new();

    // "@s2_5": the sixth value of the command's third statement. Each statement's text is kept with these names.
    private static readonly string[][] Names = ParameterNames.Grid("s", MostRows, 2 * MostColumns);

    /// <summary>Writes the tracked changes and returns the rows written, or null when EF Core must save them.</summary>
    public static async Task<int?> TrySaveAsync(EnsembleDb db, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not { } transaction)
        {
            return null;
        }

        var changed = new List<(EntityEntry Entry, Shape Shape)>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Unchanged)
            {
                continue;
            }

            if (entry.State is not (EntityState.Modified or EntityState.Added) || changed.Count == MostRows
                || Shapes.GetOrAdd(entry.Metadata, ShapeOf) is not { } shape)
            {
                return null;
            }

            changed.Add((entry, shape));
        }

        // A new row with an id of its own choosing keeps it, and only EF Core writes ids.
        if (changed.Count == 0 || changed.Any(c => c.Entry.State == EntityState.Added
            && (DependsOnNewRow(c.Entry) || !c.Entry.Property(c.Shape.Key).IsTemporary)))
        {
            return null;
        }

        // Updates first: a row that gives up a unique value (an open step) does so before a new row takes it.
        var ordered = changed.OrderBy(c => c.Entry.State == EntityState.Added).ToList();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var sql = new StringBuilder();
        var statements = new List<(EntityEntry Entry, Shape Shape)>();
        foreach (var (entry, shape) in ordered)
        {
            var statement = statements.Count;
            if (entry.State == EntityState.Added ? AppendInsert(sql, command, statement, entry, shape) : AppendUpdate(sql, command, statement, entry, shape))
            {
                statements.Add((entry, shape));
            }
        }

        if (statements.Count == 0)
        {
            return null;
        }

        command.CommandText = sql.ToString();
        var generated = new List<(EntityEntry Entry, Shape Shape, object Id)>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < statements.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(cancellationToken))
                {
                    throw new InvalidOperationException("The database answered fewer statements than were sent.");
                }

                var (entry, shape) = statements[i];
                if (!await reader.ReadAsync(cancellationToken))
                {
                    // The version the change was decided on is no longer the row's: someone else changed it first.
                    throw new DbUpdateConcurrencyException(
                        $"The {entry.Metadata.ClrType.Name} row was changed or removed by someone else since it was read.");
                }

                if (entry.State == EntityState.Added)
                {
                    generated.Add((entry, shape, reader.GetValue(0)));
                }
            }
        }
        catch (DbException ex)
        {
            // As EF Core reports a failed save, so callers tell conflicts (a unique value taken) from other failures.
            throw new DbUpdateException("The changes could not be saved: " + ex.Message, ex);
        }

        foreach (var (entry, shape, id) in generated)
        {
            var key = entry.Property(shape.Key);
            key.CurrentValue = shape.KeyFromProvider(id);
            key.IsTemporary = false;
        }

        if (acceptAllChangesOnSuccess)
        {
            db.ChangeTracker.AcceptAllChanges();
        }

        return statements.Count;
    }

    private static bool DependsOnNewRow(EntityEntry entry)
    {
        foreach (var reference in entry.References)
        {
            if (reference.TargetEntry is { State: EntityState.Added })
            {
                return true;
            }
        }

        foreach (var foreignKey in entry.Metadata.GetForeignKeys())
        {
            // A key still temporary names a row not yet written, whether or not a navigation reaches it.
            if (foreignKey.Properties.Any(p => entry.Property(p).IsTemporary))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AppendUpdate(StringBuilder sql, DbCommand command, int statement, EntityEntry entry, Shape shape)
    {
        var modified = 0UL;
        var values = new List<(Column Column, object? Value)>();
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            var property = entry.Property(shape.Columns[i].Property);
            if (property.IsModified)
            {
                modified |= 1UL << i;
                values.Add((shape.Columns[i], property.CurrentValue));
            }
        }

        if (modified == 0)
        {
            return false;
        }

        values.Add((shape.KeyColumn, entry.Property(shape.Key).CurrentValue));
        foreach (var token in shape.Tokens)
        {
            values.Add((token, entry.Property(token.Property).OriginalValue));
        }

        sql.Append(shape.UpdateSql(modified, statement));
        AddParameters(command, statement, values);
        return true;
    }

    private static bool AppendInsert(StringBuilder sql, DbCommand command, int statement, EntityEntry entry, Shape shape)
    {
        var values = new List<(Column Column, object? Value)>();
        foreach (var column in shape.Columns)
        {
            if (column.Property != shape.Key)
            {
                values.Add((column, entry.Property(column.Property).CurrentValue));
            }
        }

        sql.Append(shape.InsertSql(statement));
        AddParameters(command, statement, values);
        return true;
    }

    // The type mapping converts the model's value (a TaskId, an Instant) as EF Core's own parameters do.
    private static void AddParameters(DbCommand command, int statement, List<(Column Column, object? Value)> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var (column, value) = values[i];
            command.Parameters.Add(column.Mapping.CreateParameter(command, Names[statement][i], value, column.Property.IsNullable));
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static Shape? ShapeOf(IEntityType type)
    {
        if (type.BaseType is not null || type.GetDirectlyDerivedTypes().Any() || type.IsOwned() || type.GetComplexProperties().Any()
            || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
        {
            return null;
        }

        var tables = type.GetTableMappings().ToList();
        if (tables.Count != 1 || tables[0].Table.EntityTypeMappings.Count() != 1 || tables[0].Table.Schema is not null)
        {
            return null;
        }

        var key = type.FindPrimaryKey();
        if (key is not { Properties: [var keyProperty] } || keyProperty.ValueGenerated != ValueGenerated.OnAdd)
        {
            return null;
        }

        var columns = new List<Column>();
        foreach (var mapping in tables[0].ColumnMappings)
        {
            var property = mapping.Property;

            // Only the id is the database's to fill in; a default or computed column would need reading back.
            if ((property != keyProperty && property.ValueGenerated != ValueGenerated.Never) || mapping.TypeMapping is not { } typeMapping)
            {
                return null;
            }

            columns.Add(new Column(property, mapping.Column.Name, typeMapping));
        }

        if (columns.Count != type.GetProperties().Count() || columns.Count > MostColumns)
        {
            return null;
        }

        var keyColumn = columns.Single(c => c.Property == keyProperty);
        var tokens = columns.Where(c => c.Property.IsConcurrencyToken).ToList();
        return new Shape(tables[0].Table.Name, keyProperty, keyColumn, columns, tokens);
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping);

    private sealed record Shape(string Table, IProperty Key, Column KeyColumn, List<Column> Columns, List<Column> Tokens)
    {
        private readonly ConcurrentDictionary<(ulong Modified, int Statement), string> _updates = new();
        private readonly string?[] _inserts = new string?[MostRows];

        /// <summary>Sets the columns in <paramref name="modified"/>, for the row with the key and tokens that follow them.</summary>
        public string UpdateSql(ulong modified, int statement) => _updates.GetOrAdd((modified, statement), key =>
        {
            var set = new List<string>();
            var next = 0;
            for (var i = 0; i < Columns.Count; i++)
            {
                if ((key.Modified & (1UL << i)) != 0)
                {
                    set.Add($"{Quote(Columns[i].Name)} = {Names[key.Statement][next++]}");
                }
            }

            var sql = new StringBuilder("UPDATE ").Append(Quote(Table)).Append(" SET ").AppendJoin(", ", set)
                .Append(" WHERE ").Append(Quote(KeyColumn.Name)).Append(" = ").Append(Names[key.Statement][next++]);
            foreach (var token in Tokens)
            {
                sql.Append(" AND ").Append(Quote(token.Name)).Append(" = ").Append(Names[key.Statement][next++]);
            }

            return sql.Append(" RETURNING 1;\n").ToString();
        });

        /// <summary>Inserts every column but the id, in column order, and returns the id.</summary>
        public string InsertSql(int statement) => _inserts[statement] ??= Insert(statement);

        private string Insert(int statement)
        {
            var names = Columns.Where(c => c.Property != Key).Select(c => Quote(c.Name));
            var values = Columns.Where(c => c.Property != Key).Select((_, i) => Names[statement][i]);
            return new StringBuilder("INSERT INTO ").Append(Quote(Table)).Append(" (").AppendJoin(", ", names).Append(") VALUES (")
                .AppendJoin(", ", values).Append(") RETURNING ").Append(Quote(KeyColumn.Name)).Append(";\n").ToString();
        }

        // The database answers with the provider's value (a number); the entity holds the model's (a TaskId).
        public object? KeyFromProvider(object id)
        {
            var converter = KeyColumn.Mapping.Converter;
            var providerType = converter?.ProviderClrType ?? Key.ClrType;
            var value = Convert.ChangeType(id, Nullable.GetUnderlyingType(providerType) ?? providerType, System.Globalization.CultureInfo.InvariantCulture);
            return converter is null ? value : converter.ConvertFromProvider(value);
        }
    }
}
