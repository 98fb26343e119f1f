using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;

namespace Ensemble.Storage;

/// <summary>
/// Explicit preparation of statements a writer runs row after row. Over a multiplexing PostgreSQL connection Npgsql
/// refuses it — a command there may go out on any physical connection — and prepares what recurs by itself
/// (automatic preparation), so there it is left to Npgsql.
/// </summary>
internal static class ServerPreparation
{
    private static readonly ConcurrentDictionary<string, bool> Multiplexed = new(StringComparer.Ordinal);

    public static Task PrepareAsync(DbCommand command, CancellationToken cancellationToken) =>
        Multiplexes(command.Connection) ? Task.CompletedTask : command.PrepareAsync(cancellationToken);

    public static Task PrepareAsync(DbBatch batch, CancellationToken cancellationToken) =>
        Multiplexes(batch.Connection) ? Task.CompletedTask : batch.PrepareAsync(cancellationToken);

    private static bool Multiplexes(DbConnection? connection) =>
        connection is NpgsqlConnection npgsql
        && Multiplexed.GetOrAdd(npgsql.ConnectionString, text => new NpgsqlConnectionStringBuilder(text).Multiplexing);
}
