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
public sealed class ContextPool
{
    private readonly Func<EnsembleDb> _rent;

    public ContextPool(DatabaseLocation location)
    {
        var options = EnsembleDatabase.OptionsFor(location);
        _rent = location.Provider switch
        {
            StorageProvider.Sqlite => new PooledDbContextFactory<SqliteEnsembleDb>((DbContextOptions<SqliteEnsembleDb>)options).CreateDbContext,
            _ => new PooledDbContextFactory<PostgresEnsembleDb>((DbContextOptions<PostgresEnsembleDb>)options).CreateDbContext,
        };
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
        return db;
    }
}
