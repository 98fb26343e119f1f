using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage;

/// <summary>A position in the audit chain: its last sequence and hash.</summary>
internal sealed record AuditHeadPosition(long Sequence, string Hash);

/// <summary>The head a transaction (EF Core's id for it) has moved the chain to, and so holds locked until it ends.</summary>
/// <remarks>Keyed by EF Core's transaction id, not the provider's transaction object, which Npgsql reuses.</remarks>
internal sealed record HeldAuditHead(Guid TransactionId, AuditHeadPosition Position);

/// <summary>
/// Where this process expects the audit chain's head to be on one PostgreSQL database, and the turn its
/// transactions take to extend it.
/// </summary>
/// <remarks>
/// Reading the head with a row lock and then writing the events costs two round trips while every other writer
/// waits on that row. With a forecast the events are hashed first and sent in one statement that moves the head
/// only if it is still where the forecast says. Taking turns inside the process keeps each forecast right (the
/// previous holder's head, committed or about to be); a forecast that is wrong (another node wrote, or a
/// transaction rolled back) moves nothing, and the writer reads the head under lock as before.
/// </remarks>
internal sealed class AuditHeadForecast
{
    private static readonly ConcurrentDictionary<string, AuditHeadForecast> ByDatabase = new(StringComparer.Ordinal);

    private AuditHeadPosition? _expected;
    private long _misses;

    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>The head as this process last moved or read it; null before the first append.</summary>
    public AuditHeadPosition? Expected
    {
        get => Volatile.Read(ref _expected);
        set => Volatile.Write(ref _expected, value);
    }

    /// <summary>Appends that found no forecast or a wrong one and read the head under lock: rare when one node writes.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public void Missed() => Interlocked.Increment(ref _misses);

    public static AuditHeadForecast For(EnsembleDb db) =>
        ByDatabase.GetOrAdd(db.Database.GetConnectionString() ?? "", static _ => new AuditHeadForecast());
}
