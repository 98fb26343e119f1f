using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Ensemble.Storage;

/// <summary>
/// Every SQLite connection commits durably (fsync on commit), enforces foreign keys, waits on a busy file and keeps its
/// temporary files in memory.
/// </summary>
/// <remarks>
/// <para>Temporary storage holds what a savepoint needs to roll back (the pages as they were when it began). Writers that
/// share a commit (<see cref="CommitGroup"/>) each run under a savepoint, so a group's pages were written to a temporary
/// file as well as to the log: 45 writes to the file system per transition. In memory they cost a copy. The files only
/// ever lived as long as a statement or a transaction, so nothing durable moves.</para>
/// <para>
/// The settings belong to the pooled SQLite handle, which outlives each open and close, so they are applied once
/// per handle rather than as four more statements to prepare and run on every open. (The connection string's
/// own Foreign Keys option would run its pragma on every open too, so it is not used.)</para>
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private static readonly ConditionalWeakTable<sqlite3, object> Applied = [];
    private static readonly object Done = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Applies the settings to an open connection, once per SQLite handle.</summary>
    internal static void Apply(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle;
        if (handle is not null && Applied.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
        if (handle is not null)
        {
            Applied.AddOrUpdate(handle, Done);
        }
    }
}
