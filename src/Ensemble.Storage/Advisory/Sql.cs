using System.Data.Common;
using System.Globalization;
using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>Small helpers for the run's hand-written SQL, which must read the same on SQLite and PostgreSQL.</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        command.CommandTimeout = 0;
        return command;
    }

    /// <summary>
    /// "column is one of these households": an array parameter on PostgreSQL; on SQLite the ids written out
    /// (they are numbers, so nothing can be injected, and SQLite has no array parameters).
    /// </summary>
    public static string HouseholdIn(StorageProvider provider, string column, long[] ids) =>
        provider == StorageProvider.PostgreSql
            ? $"{column} = ANY(@ids)"
            : $"{column} IN ({string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))})";

    /// <summary>Binds the ids <see cref="HouseholdIn"/> names, where the provider takes them as a parameter.</summary>
    public static void Bind(DbCommand command, StorageProvider provider, long[]? ids)
    {
        if (ids is not null && provider == StorageProvider.PostgreSql)
        {
            Add(command, "@ids", ids);
        }
    }

    public static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static AlertStatus Status(string text) => text switch
    {
        nameof(AlertStatus.New) => AlertStatus.New,
        nameof(AlertStatus.Acknowledged) => AlertStatus.Acknowledged,
        nameof(AlertStatus.InFollowUp) => AlertStatus.InFollowUp,
        _ => AlertStatus.Resolved,
    };
}
