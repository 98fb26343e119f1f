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
        if (db.Database.CurrentTransaction is not { } transaction || PlanOf(db) is not { } plan)
        {
            return null;
        }

        await RunAsync(plan, transaction.GetDbTransaction(), cancellationToken);
        plan.Apply();
        if (acceptAllChangesOnSuccess)
        {
            db.ChangeTracker.AcceptAllChanges();
        }

        return plan.Statements.Count;
    }

    /// <summary>Runs the plan's statements as one command in <paramref name="transaction"/>; the new ids wait in the plan.</summary>
    public static async Task RunAsync(Plan plan, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder();
        for (var i = 0; i < plan.Statements.Count; i++)
        {
            var statement = plan.Statements[i];
            sql.Append(statement.Sql(i));
            AddParameters(command.Parameters, command, i, statement.Values);
        }

        command.CommandText = sql.ToString();
        try
        {
            await using var reader = await SqliteStatementCache.ExecuteReaderAsync(command, cancellationToken);
            await ReadAnswersAsync(reader, plan, first: true, cancellationToken);
        }
        catch (DbException ex)
        {
            throw Failed(ex);
        }
    }

    /// <summary>
    /// The statements that would write the tracked changes, with their values taken now, or null when EF Core must
    /// save them. Nothing is written until the plan is run (<see cref="TrySaveAsync"/>, or a PostgreSQL commit group).
    /// </summary>
    public static Plan? PlanOf(EnsembleDb db)
    {
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
        var statements = new List<Statement>();
        foreach (var (entry, shape) in changed.OrderBy(c => c.Entry.State == EntityState.Added))
        {
            if ((entry.State == EntityState.Added ? PlanInsert(entry, shape) : PlanUpdate(entry, shape)) is { } statement)
            {
                statements.Add(statement);
            }
        }

        return statements.Count == 0 ? null : new Plan(statements);
    }

    /// <summary>Adds the plan's statements to a batch, one command each, so every statement's values keep their own names.</summary>
    public static void AddTo(DbBatch batch, DbCommand parameterFactory, Plan plan)
    {
        foreach (var statement in plan.Statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql(0);
            AddParameters(command.Parameters, parameterFactory, 0, statement.Values);
            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>
    /// Reads the answer to each of the plan's statements: a row for each, and the new id for each insert. A missing row is
    /// a concurrency conflict. <paramref name="first"/>: the reader stands on the plan's first answer already.
    /// </summary>
    public static async Task ReadAnswersAsync(DbDataReader reader, Plan plan, bool first, CancellationToken cancellationToken)
    {
        foreach (var statement in plan.Statements)
        {
            if (!first && !await reader.NextResultAsync(cancellationToken))
            {
                throw new InvalidOperationException("The database answered fewer statements than were sent.");
            }

            first = false;
            if (!await reader.ReadAsync(cancellationToken))
            {
                // The version the change was decided on is no longer the row's: someone else changed it first.
                throw new DbUpdateConcurrencyException(
                    $"The {statement.Entry.Metadata.ClrType.Name} row was changed or removed by someone else since it was read.");
            }

            if (statement.Inserts)
            {
                statement.GeneratedId = reader.GetValue(0);
            }
        }
    }

    /// <summary>As EF Core reports a failed save, so callers tell conflicts (a unique value taken) from other failures.</summary>
    public static DbUpdateException Failed(DbException exception) => new("The changes could not be saved: " + exception.Message, exception);

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

    private static Statement? PlanUpdate(EntityEntry entry, Shape shape)
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
            return null;
        }

        values.Add((shape.KeyColumn, entry.Property(shape.Key).CurrentValue));
        foreach (var token in shape.Tokens)
        {
            values.Add((token, entry.Property(token.Property).OriginalValue));
        }

        return new Statement(entry, shape, modified, values);
    }

    private static Statement PlanInsert(EntityEntry entry, Shape shape)
    {
        var values = new List<(Column Column, object? Value)>();
        foreach (var column in shape.Columns)
        {
            if (column.Property != shape.Key)
            {
                values.Add((column, entry.Property(column.Property).CurrentValue));
            }
        }

        return new Statement(entry, shape, Modified: null, values);
    }

    // The type mapping converts the model's value (a TaskId, an Instant) as EF Core's own parameters do.
    private static void AddParameters(DbParameterCollection parameters, DbCommand factory, int statement, List<(Column Column, object? Value)> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var (column, value) = values[i];
            parameters.Add(column.Mapping.CreateParameter(factory, Names[statement][i], value, column.Property.IsNullable));
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

    /// <summary>The statements that write one change, in order.</summary>
    internal sealed class Plan(List<Statement> statements)
    {
        public IReadOnlyList<Statement> Statements { get; } = statements;

        /// <summary>Gives each new row the id the database answered with.</summary>
        public void Apply()
        {
            foreach (var statement in Statements.Where(s => s.Inserts))
            {
                var key = statement.Entry.Property(statement.Shape.Key);
                key.CurrentValue = statement.Shape.KeyFromProvider(statement.GeneratedId
                    ?? throw new InvalidOperationException("The plan has not been run."));
                key.IsTemporary = false;
            }
        }
    }

    /// <summary>One row's statement: an update of the columns in <see cref="Modified"/>, or an insert when that is null.</summary>
    internal sealed record Statement(EntityEntry Entry, Shape Shape, ulong? Modified, List<(Column Column, object? Value)> Values)
    {
        public bool Inserts => Modified is null;

        public object? GeneratedId { get; set; }

        public string Sql(int position) => Modified is { } modified ? Shape.UpdateSql(modified, position) : Shape.InsertSql(position);
    }

    internal sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping);

    internal sealed record Shape(string Table, IProperty Key, Column KeyColumn, List<Column> Columns, List<Column> Tokens)
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
