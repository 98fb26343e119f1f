using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage;

/// <summary>
/// SQLite has one writer at a time. Writers of this process queue here, in order, instead of
/// spinning in SQLite's busy timeout, where an unlucky one can wait seconds. PostgreSQL needs no gate.
/// </summary>
internal static class WriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> EnterAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        if (db.Provider != StorageProvider.Sqlite)
        {
            return Turn.None;
        }

        var gate = Gates.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim? gate) : IDisposable
    {
        public static readonly Turn None = new(null);

        public void Dispose() => gate?.Release();
    }
}
