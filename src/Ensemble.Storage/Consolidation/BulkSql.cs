using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Writes many rows of one shape inside the current transaction: on SQLite one single-row statement
/// prepared on SQLite's own handle and bound by position per row (Microsoft.Data.Sqlite binds by name and
/// boxes every value, which cost more than the insert itself; see BulkStarter), on PostgreSQL multi-row
/// statements of a few hundred rows (one round trip each).
/// </summary>
internal sealed class BulkSql : IAsyncDisposable
{
    private const int RowsPerStatement = 400;

    private readonly EnsembleDb _db;
    private readonly string _head;
    private readonly string _tail;
    private readonly int _width;
    private readonly List<object?[]> _pending = [];
    private sqlite3_stmt? _sqlite;
    private sqlite3? _sqliteDb;
    private DbCommand? _full;

    /// <param name="head">Up to VALUES, e.g. "INSERT INTO t (a, b) VALUES ".</param>
    /// <param name="tail">After the rows, e.g. " ON CONFLICT (a) DO UPDATE SET b = excluded.b".</param>
    private BulkSql(EnsembleDb db, string head, string tail, int width)
    {
        _db = db;
        _head = head;
        _tail = tail;
        _width = width;
    }

    public int Written { get; private set; }

    /// <summary>An INSERT that updates the listed columns when the key is already there.</summary>
    public static BulkSql Upsert(EnsembleDb db, string table, string[] columns, string[] key) =>
        new(db, $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ",
            $" ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {string.Join(", ", columns.Except(key).Select(c => $"{c} = excluded.{c}"))}",
            columns.Length);

    public static BulkSql Insert(EnsembleDb db, string table, string[] columns) =>
        new(db, $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ", "", columns.Length);

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

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        DbCommand command;
        if (_pending.Count == RowsPerStatement)
        {
            command = _full ??= await PrepareAsync(RowsPerStatement, cancellationToken);
        }
        else
        {
            command = await PrepareAsync(_pending.Count, cancellationToken);
        }

        command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
        for (var r = 0; r < _pending.Count; r++)
        {
            Bind(command, r, _pending[r]);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        Written += _pending.Count;
        if (command != _full)
        {
            await command.DisposeAsync();
        }

        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_full is not null)
        {
            await _full.DisposeAsync();
        }
    }

    // SQLite runs in-process: the row goes in at once, inside whatever transaction the connection has open.
    private void AddSqlite(object?[] values)
    {
        if (_sqlite is null)
        {
            var connection = (SqliteConnection)_db.Database.GetDbConnection();
            _sqliteDb = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            var rc = raw.sqlite3_prepare_v2(_sqliteDb, _head + "(" + string.Join(", ", Enumerable.Repeat("?", _width)) + ")" + _tail, out _sqlite);
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

    private async Task<DbCommand> PrepareAsync(int rows, CancellationToken cancellationToken)
    {
        var command = Command(_db);
        var sql = new StringBuilder(_head);
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _width; c++)
            {
                var name = $"@p{r}_{c}";
                sql.Append(c == 0 ? "" : ", ").Append(name);
                AuditWriter.AddParameter(command, name, null);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(_tail).ToString();
        if (rows == RowsPerStatement)
        {
            await command.PrepareAsync(cancellationToken);
        }

        return command;
    }

    private void Bind(DbCommand command, int row, object?[] values)
    {
        for (var c = 0; c < _width; c++)
        {
            command.Parameters[(row * _width) + c].Value = values[c] ?? DBNull.Value;
        }
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

    /// <summary>Runs a statement with parameters; returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(EnsembleDb db, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Command(db, sql);
            foreach (var (name, value) in parameters)
            {
                AuditWriter.AddParameter(command, name, value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
