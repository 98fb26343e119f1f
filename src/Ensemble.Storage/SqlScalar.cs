using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage;

/// <summary>
/// One statement on the context's own connection, outside EF Core's command pipeline: for pragmas and settings that
/// belong to that connection. The caller keeps the connection open for as long as the setting must hold.
/// </summary>
internal static class SqlScalar
{
    /// <summary>The first column of the first row as invariant text, or "" when there is none.</summary>
    public static async Task<string> ReadAsync(EnsembleDb db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await using var reader = await SqliteStatementCache.ExecuteReaderAsync(command, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "" : "";
    }
}
