using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Consolidation reads what every source holds and then writes its decision; two writers interleaving on
/// PostgreSQL could each decide from a state the other is changing. A transaction-scoped advisory lock
/// makes them take turns, as SQLite's single writer already does.
/// </summary>
internal static class ConsolidationLock
{
    private const long Key = 0x0E45_C0_5011;

    public static async Task TakeAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        if (db.Provider == StorageProvider.PostgreSql)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({Key})", cancellationToken);
        }
    }
}
