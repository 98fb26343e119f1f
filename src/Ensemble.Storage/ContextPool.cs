using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NodaTime;

namespace Ensemble.Storage;

/// <summary>
/// Contexts for a server that uses one per request. A new context builds its own set of EF Core services and a
/// connection object (with SQLite's functions registered on it) before its first query; on a busy node that
/// was a tenth of a cheap request's CPU. Rented contexts come back to the pool when disposed, reset by EF Core
/// (tracked entities, transaction, connection, tracking options) and, on the way out, by <see cref="Rent"/>.
/// </summary>
/// <remarks>
/// A SQLite context keeps one connection open from rental to rental, with its statements compiled
/// (<see cref="SqliteStatementCache"/>). EF Core closes a connection it owns whenever a context comes back, so the
/// context is given one it does not own: made by a throwaway context, so it carries EF Core's SQL functions. Disposing
/// the pool closes those connections.
/// </remarks>
public sealed class ContextPool : IDisposable
{
    private readonly Func<EnsembleDb> _rent;
    private readonly DatabaseLocation _location;
    private readonly ConcurrentDictionary<DbConnection, byte> _kept = new();

    public ContextPool(DatabaseLocation location)
    {
        var options = EnsembleDatabase.OptionsFor(location);
        _rent = location.Provider switch
        {
            StorageProvider.Sqlite => new PooledDbContextFactory<SqliteEnsembleDb>((DbContextOptions<SqliteEnsembleDb>)options).CreateDbContext,
            _ => new PooledDbContextFactory<PostgresEnsembleDb>((DbContextOptions<PostgresEnsembleDb>)options).CreateDbContext,
        };
        _location = location;
    }

    /// <summary>
    /// A context as <see cref="EnsembleDatabase.CreateContext"/> makes one; dispose it to give it back. Every settable
    /// property of <see cref="EnsembleDb"/> is set here, so nothing one request set is seen by the next.
    /// </summary>
    public EnsembleDb Rent(IClock clock)
    {
        var db = _rent();
        db.Clock = clock;
        db.Actor = "ensemble"; // as a new EnsembleDb starts
        db.Operation = null;
        db.SavesDirectly = false;
        if (_location.Provider == StorageProvider.Sqlite)
        {
            KeepConnectionOpen(db);
        }

        return db;
    }

    private void KeepConnectionOpen(EnsembleDb db)
    {
        var connection = db.Database.GetDbConnection();
        if (SqliteStatementCache.IsKept(connection) && !SqliteStatementCache.HasLeftovers(connection))
        {
            return;
        }

        // New to the pool, or handed back inside a transaction or with a reader open: a fresh connection, and the old one closed.
        if (_kept.TryRemove(connection, out _))
        {
            SqliteStatementCache.Release(connection);
        }

        // The throwaway context is not disposed: that would dispose the connection it made.
        var kept = EnsembleDatabase.CreateContext(_location).Database.GetDbConnection();
        kept.Open();
        SqlitePragmas.Apply(kept);
        db.Database.SetDbConnection(kept, contextOwnsConnection: false);
        SqliteStatementCache.Keep(kept);
        _kept.TryAdd(kept, 0);
    }

    public void Dispose()
    {
        foreach (var connection in _kept.Keys)
        {
            SqliteStatementCache.Release(connection);
        }

        _kept.Clear();
    }
}
