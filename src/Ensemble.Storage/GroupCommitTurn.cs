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
/// in WAL mode, or held in memory, keeps a plain turn. PostgreSQL needs none of this: its server flushes concurrent commits together.</para>
/// </remarks>
internal sealed class GroupCommitTurn : IAsyncDisposable
{
    // Each database's log, by connection string, or null for one in memory or not in WAL mode: found once, not per turn.
    private static readonly ConcurrentDictionary<string, WalSync?> Logs = new(StringComparer.Ordinal);

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
        var connectionString = db.Provider == StorageProvider.Sqlite ? db.Database.GetConnectionString() : null;
        if (connectionString is null || (Logs.TryGetValue(connectionString, out var known) && known is null))
        {
            return new GroupCommitTurn(null, gate, null);
        }

        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var log = known ?? (Logs[connectionString] = await LogOfAsync(db, connectionString, cancellationToken));
            if (log is null)
            {
                await db.Database.CloseConnectionAsync();
                return new GroupCommitTurn(null, gate, null);
            }

            await SqlScalar.ReadAsync(db, "PRAGMA synchronous=NORMAL", cancellationToken);
            return new GroupCommitTurn(db, gate, log);
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
            await SqlScalar.ReadAsync(_db, "PRAGMA synchronous=FULL", CancellationToken.None);
        }
        catch
        {
            // A connection that could not be set back must not be lent out again with flushes off.
            var connection = _db.Database.GetDbConnection();
            SqliteConnection.ClearPool((SqliteConnection)connection);
            SqliteStatementCache.Release(connection);
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

    /// <summary>The log of the database on <paramref name="db"/>'s open connection, or null when it has none to flush.</summary>
    private static async Task<WalSync?> LogOfAsync(EnsembleDb db, string connectionString, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return null;
        }

        var journal = await SqlScalar.ReadAsync(db, "PRAGMA journal_mode", cancellationToken);
        return string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) ? WalSync.For(builder.DataSource) : null;
    }
}
