using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage;

/// <summary>
/// A writer's turn (<see cref="WriteGate"/>) whose SQLite commit leaves its disk flush until the turn is over, when one
/// flush serves every writer that committed meanwhile (<see cref="WalSync"/>).
/// </summary>
/// <remarks>
/// <para>Leaving the turn waits for that flush, so the caller hears of its change only once the change is on disk, as
/// with <c>synchronous=FULL</c>. But the next writer need not wait for the disk: the turn lasts only as long as the
/// transaction's own work.</para>
/// <para>The connection stays open for the whole turn, because <c>synchronous</c> belongs to the connection and cannot
/// change inside a transaction. It goes back to <c>FULL</c> before the connection returns to the pool. A database not
/// in WAL mode, or held in memory, keeps a plain turn. PostgreSQL needs none of this: its server groups commits.</para>
/// </remarks>
internal sealed class GroupCommitTurn : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, bool> InWalMode = new(StringComparer.Ordinal);

    private readonly EnsembleDb? _db;
    private readonly IDisposable _gate;
    private readonly WalSync? _log;
    private bool _committed;

    private GroupCommitTurn(EnsembleDb? db, IDisposable gate, WalSync? log)
    {
        _db = db;
        _gate = gate;
        _log = log;
    }

    /// <summary>Waits for the writer's turn; on SQLite, readies the connection to commit without a flush of its own.</summary>
    public static async Task<GroupCommitTurn> EnterAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        var gate = await WriteGate.EnterAsync(db, cancellationToken);
        var path = db.Provider == StorageProvider.Sqlite ? FileOf(db) : null;
        if (path is null)
        {
            return new GroupCommitTurn(null, gate, null);
        }

        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            if (!InWalMode.TryGetValue(path, out var wal))
            {
                wal = InWalMode[path] = string.Equals(await ScalarAsync(db, "PRAGMA journal_mode"), "wal", StringComparison.OrdinalIgnoreCase);
            }

            if (!wal)
            {
                await db.Database.CloseConnectionAsync();
                return new GroupCommitTurn(null, gate, null);
            }

            await ScalarAsync(db, "PRAGMA synchronous=NORMAL");
            return new GroupCommitTurn(db, gate, WalSync.For(path));
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            gate.Dispose();
            throw;
        }
    }

    /// <summary>Says the transaction committed, so leaving the turn waits until it is on disk.</summary>
    public void Committed() => _committed = true;

    public async ValueTask DisposeAsync()
    {
        if (_db is null)
        {
            _gate.Dispose();
            return;
        }

        try
        {
            await ScalarAsync(_db, "PRAGMA synchronous=FULL");
        }
        catch
        {
            // A connection that could not be set back must not be lent out again with flushes off.
            SqliteConnection.ClearPool((SqliteConnection)_db.Database.GetDbConnection());
            throw;
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
            _gate.Dispose();
        }

        if (_committed)
        {
            await _log!.AfterCommitAsync();
        }
    }

    private static string? FileOf(EnsembleDb db)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        var inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        return inMemory ? null : Path.GetFullPath(builder.DataSource);
    }

    private static async Task<string?> ScalarAsync(EnsembleDb db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
