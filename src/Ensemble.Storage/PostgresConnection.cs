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
    /// nothing to reset. A connection string that sets either option keeps its own value.
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

        return builder.ConnectionString;
    }

    /// <summary>
    /// For a server with many requests at once: commands outside a transaction are multiplexed, so requests share a
    /// few physical connections and their commands go out together. Under load that cost the web app about a sixth
    /// less CPU per task completion; one command at a time it adds a hand-over (a query alone took about 0.1 ms
    /// longer), so the CLI keeps plain connections. A connection string that says either way, or turns pooling off
    /// (which multiplexing needs), keeps its choice.
    /// </summary>
    public static string Multiplexed(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (Mentions(connectionString, "Multiplexing") || !builder.Pooling)
        {
            return connectionString;
        }

        builder.Multiplexing = true;
        return builder.ConnectionString;
    }

    private static bool Mentions(string connectionString, params string[] keys) =>
        keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));
}
