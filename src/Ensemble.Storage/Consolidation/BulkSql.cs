using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Writes many rows of one shape inside the current transaction: on SQLite one single-row statement
/// prepared on SQLite's own handle and bound by position per row (Microsoft.Data.Sqlite binds by name and
/// boxes every value, which cost more than the insert itself; see BulkStarter); on PostgreSQL thousands of
/// rows in one statement that reads them from one array parameter per column (<c>unnest</c>), sent by
/// position, so neither side parses or binds a parameter per value. Rows the caller knows to be new are
/// copied in on PostgreSQL (binary COPY), the cheapest way in: no statement, and the table is filled in batches.
/// </summary>
internal sealed class BulkSql : IAsyncDisposable
{
    // Rows per PostgreSQL statement: the arrays stay a few hundred kilobytes while a round trip carries thousands of rows.
    private const int RowsPerStatement = 10_000;

    private readonly EnsembleDb _db;
    private readonly string _sqliteSql;
    private readonly Func<string[], string, string> _postgresSql;
    private readonly int _width;
    private readonly List<object?[]> _pending = [];
    private readonly List<object?[]> _fresh = [];
    private readonly string? _copy;
    private sqlite3_stmt? _sqlite;
    private sqlite3? _sqliteDb;

    /// <param name="sqliteSql">The single-row statement, one <c>?</c> per column in order.</param>
    /// <param name="postgresSql">The statement given each column's expression (<c>u.cN</c>, or NULL when no row has a value) and the FROM item that yields the rows.</param>
    /// <param name="copy">The COPY that takes rows known to be new, when the statement inserts.</param>
    private BulkSql(EnsembleDb db, string sqliteSql, Func<string[], string, string> postgresSql, int width, string? copy = null)
    {
        _db = db;
        _copy = copy;
        _sqliteSql = sqliteSql;
        _postgresSql = postgresSql;
        _width = width;
    }

    public int Written { get; private set; }

    /// <summary>An INSERT that updates the listed columns when the key is already there.</summary>
    public static BulkSql Upsert(EnsembleDb db, string table, string[] columns, string[] key)
    {
        var names = string.Join(", ", columns);
        var update = $" ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {string.Join(", ", columns.Except(key).Select(c => $"{c} = excluded.{c}"))}";
        return new(db, $"INSERT INTO {table} ({names}) VALUES ({Placeholders(columns.Length)}){update}",
            (values, rows) => $"INSERT INTO {table} ({names}) SELECT {string.Join(", ", values)} FROM {rows}{update}", columns.Length, Copy(table, names));
    }

    public static BulkSql Insert(EnsembleDb db, string table, string[] columns)
    {
        var names = string.Join(", ", columns);
        return new(db, $"INSERT INTO {table} ({names}) VALUES ({Placeholders(columns.Length)})",
            (values, rows) => $"INSERT INTO {table} ({names}) SELECT {string.Join(", ", values)} FROM {rows}", columns.Length, Copy(table, names));
    }

    /// <summary>An UPDATE of the <paramref name="set"/> columns of the row whose <paramref name="key"/> matches; each row gives the set values, then the key.</summary>
    public static BulkSql Update(EnsembleDb db, string table, string[] set, string key) =>
        new(db, $"UPDATE {table} SET {string.Join(", ", set.Select(c => c + " = ?"))} WHERE {key} = ?",
            (values, rows) => $"UPDATE {table} AS t SET {string.Join(", ", set.Select((c, i) => $"{c} = {values[i]}"))} FROM {rows} WHERE t.{key} = {values[set.Length]}",
            set.Length + 1);

    public async Task AddAsync(object?[] values, CancellationToken cancellationToken)
    {
        if (_db.Provider == StorageProvider.Sqlite)
        {
            AddSqlite(values);
            return;
        }

        _pending.Add(values);
        if (_pending.Count == RowsPerStatement)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Adds a row the caller knows is not in the table (it read the rows of its households in this transaction,
    /// under <see cref="ConsolidationLock"/>): on PostgreSQL it is copied in, elsewhere written as <see cref="AddAsync"/> would.
    /// </summary>
    public async Task AddNewAsync(object?[] values, CancellationToken cancellationToken)
    {
        if (_db.Provider == StorageProvider.Sqlite || _copy is null)
        {
            await AddAsync(values, cancellationToken);
            return;
        }

        _fresh.Add(values);
        if (_fresh.Count == RowsPerStatement)
        {
            await CopyAsync(cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await CopyAsync(cancellationToken);
        if (_pending.Count == 0)
        {
            return;
        }

        await using var command = Command(_db);
        var values = new string[_width];
        var arrays = new List<string>(_width);
        var names = new List<string>(_width);
        for (var c = 0; c < _width; c++)
        {
            if (Column(c) is not { } array)
            {
                // No row has a value here: NULL takes the column's type, where an array of nothing but nulls has none to send.
                values[c] = "NULL";
                continue;
            }

            command.Parameters.Add(new NpgsqlParameter { Value = array });
            arrays.Add("$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture));
            names.Add("c" + c.ToString(CultureInfo.InvariantCulture));
            values[c] = "u.c" + c.ToString(CultureInfo.InvariantCulture);
        }

        command.CommandText = _postgresSql(values, $"unnest({string.Join(", ", arrays)}) AS u({string.Join(", ", names)})");
        await command.ExecuteNonQueryAsync(cancellationToken);
        Written += _pending.Count;
        _pending.Clear();
    }

    private static string Copy(string table, string names) => $"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)";

    // Binary COPY joins the connection's open transaction; each value goes in the binary form of its column's type.
    private async Task CopyAsync(CancellationToken cancellationToken)
    {
        if (_fresh.Count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)_db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(_copy!, cancellationToken))
        {
            foreach (var row in _fresh)
            {
                await copy.StartRowAsync(cancellationToken);
                foreach (var value in row)
                {
                    await (value switch
                    {
                        null => copy.WriteNullAsync(cancellationToken),
                        long l => copy.WriteAsync(l, NpgsqlDbType.Bigint, cancellationToken),
                        int n => copy.WriteAsync(n, NpgsqlDbType.Integer, cancellationToken),
                        double d => copy.WriteAsync(d, NpgsqlDbType.Double, cancellationToken),
                        string t => copy.WriteAsync(t, NpgsqlDbType.Text, cancellationToken),
                        byte[] b => copy.WriteAsync(b, NpgsqlDbType.Bytea, cancellationToken),
                        decimal m => copy.WriteAsync(m, NpgsqlDbType.Numeric, cancellationToken),
                        DateOnly d => copy.WriteAsync(d, NpgsqlDbType.Date, cancellationToken),
                        var other => throw new ArgumentException($"A {other.GetType().Name} cannot be written here."),
                    });
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        Written += _fresh.Count;
        _fresh.Clear();
    }

    public ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Placeholders(int count) => string.Join(", ", Enumerable.Repeat("?", count));

    // One column of the pending rows as a typed array (nullable elements where some rows have none), or null when no row has a value.
    private Array? Column(int c)
    {
        object? first = null;
        var nulls = false;
        foreach (var row in _pending)
        {
            if (row[c] is null)
            {
                nulls = true;
            }
            else
            {
                first ??= row[c];
            }
        }

        return first switch
        {
            null => null,
            long => nulls ? Fill<long?>(c, v => (long?)(long)v) : Fill(c, v => (long)v),
            int => nulls ? Fill<int?>(c, v => (int?)(int)v) : Fill(c, v => (int)v),
            double => nulls ? Fill<double?>(c, v => (double?)(double)v) : Fill(c, v => (double)v),
            string => Fill(c, v => (string?)v),
            byte[] => Fill(c, v => (byte[]?)v),
            decimal => nulls ? Fill<decimal?>(c, v => (decimal?)(decimal)v) : Fill(c, v => (decimal)v),
            DateOnly => nulls ? Fill<DateOnly?>(c, v => (DateOnly?)(DateOnly)v) : Fill(c, v => (DateOnly)v),
            var other => throw new ArgumentException($"A {other.GetType().Name} cannot be written here."),
        };
    }

    private T[] Fill<T>(int c, Func<object, T> convert)
    {
        var array = new T[_pending.Count];
        for (var r = 0; r < array.Length; r++)
        {
            if (_pending[r][c] is { } value)
            {
                array[r] = convert(value);
            }
        }

        return array;
    }

    // SQLite runs in-process: the row goes in at once, inside whatever transaction the connection has open.
    private void AddSqlite(object?[] values)
    {
        if (_sqlite is null)
        {
            var connection = (SqliteConnection)_db.Database.GetDbConnection();
            _sqliteDb = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            var rc = raw.sqlite3_prepare_v2(_sqliteDb, _sqliteSql, out _sqlite);
            SqliteException.ThrowExceptionForRC(rc, _sqliteDb);
        }

        for (var c = 0; c < _width; c++)
        {
            var i = c + 1;
            _ = values[c] switch
            {
                null => raw.sqlite3_bind_null(_sqlite, i),
                long l => raw.sqlite3_bind_int64(_sqlite, i, l),
                int n => raw.sqlite3_bind_int64(_sqlite, i, n),
                double d => raw.sqlite3_bind_double(_sqlite, i, d),
                string t => raw.sqlite3_bind_text(_sqlite, i, t),
                byte[] b => raw.sqlite3_bind_blob(_sqlite, i, b),

                // As EF Core stores them on SQLite, so its reads and comparisons see the same text.
                decimal m => raw.sqlite3_bind_text(_sqlite, i, m.ToString("0.0###########################", CultureInfo.InvariantCulture)),
                DateOnly d => raw.sqlite3_bind_text(_sqlite, i, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                var other => throw new ArgumentException($"A {other.GetType().Name} cannot be written here.", nameof(values)),
            };
        }

        var step = raw.sqlite3_step(_sqlite);
        raw.sqlite3_reset(_sqlite);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, _sqliteDb);
        }

        Written++;
    }

    /// <summary>A command on the context's connection, in its current transaction.</summary>
    public static DbCommand Command(EnsembleDb db, string? sql = null)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (sql is not null)
        {
            command.CommandText = sql;
        }

        return command;
    }

    /// <summary>Runs a query and hands each row to <paramref name="row"/>.</summary>
    public static async Task ReadAsync(EnsembleDb db, string sql, Action<DbDataReader> row, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Command(db, sql);
            foreach (var (name, value) in parameters)
            {
                AuditWriter.AddParameter(command, name, value);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                row(reader);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
