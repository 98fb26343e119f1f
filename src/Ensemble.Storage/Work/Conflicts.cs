using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ensemble.Storage.Work;

/// <summary>Which database failures mean "someone else changed this first": worth retrying on fresh state.</summary>
internal static class Conflicts
{
    public static bool IsRetryable(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException || IsUniqueViolation(exception) || IsSerialization(exception);

    public static bool IsUniqueViolation(Exception exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    private static bool IsSerialization(Exception exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };
}
