using Npgsql;

namespace Ensemble.Storage;

/// <summary>How Ensemble talks to PostgreSQL unless the connection string says otherwise.</summary>
internal static class PostgresConnection
{
    /// <summary>Statements run this often on one connection are prepared on the server and planned once.</summary>
    private const int AutoPreparedStatements = 256;

    /// <summary>
    /// Adds what a busy app needs to <paramref name="connectionString"/>: statements the app runs again and again
    /// are prepared (parsing and planning was most of a short query's server time), and a connection going back to
    /// the pool is not reset with DISCARD ALL, which would cost a round of server work per request and drop those
    /// prepared statements. Ensemble keeps no session state (its advisory locks are per transaction), so there is
    /// nothing to reset. Commands outside a transaction are multiplexed: many requests share a few physical
    /// connections and go out together, which cost the app about a sixth less CPU per task completion under load.
    /// A connection string that sets any of these options keeps its own value.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        if (!Mentions(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Mentions(connectionString, "Multiplexing") && builder.Pooling)
        {
            builder.Multiplexing = true;
        }

        return builder.ConnectionString;
    }

    private static bool Mentions(string connectionString, params string[] keys) =>
        keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));
}
