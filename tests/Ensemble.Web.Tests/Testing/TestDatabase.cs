using System.Globalization;
using Ensemble.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ensemble.Web.Tests.Testing;

/// <summary>
/// An empty database for one app: a SQLite file in its own temporary folder, or a PostgreSQL database with a
/// unique name created on the server named by <see cref="PostgresVariable"/>. The app migrates it and builds the
/// demo firm on start; disposing removes it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Set by build/test.sh: a PostgreSQL superuser connection on loopback, to the server's postgres database.</summary>
    public const string PostgresVariable = "ENSEMBLE_TEST_POSTGRES";

    private static int _counter;
    private readonly string? _folder;
    private readonly string? _postgresName;

    private TestDatabase(string db, string? folder, string? postgresName)
    {
        Db = db;
        Location = EnsembleDatabase.Describe(db);
        _folder = folder;
        _postgresName = postgresName;
    }

    /// <summary>What the app is given as its <c>db</c> setting.</summary>
    public string Db { get; }

    public DatabaseLocation Location { get; }

    public static bool PostgresAvailable => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable));

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider)
    {
        var unique = $"{Environment.ProcessId}_{Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture)}_{Guid.NewGuid():N}"[..28];
        if (provider == StorageProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "ensemble-web-tests", unique);
            Directory.CreateDirectory(folder);
            return new TestDatabase(Path.Combine(folder, "ensemble.db"), folder, null);
        }

        var name = $"web_{unique}".ToLowerInvariant();
        await using (var admin = new NpgsqlConnection(AdminConnection()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        // A pool is idle for good once its test ends: closing its connections within seconds, not the default five
        // minutes, keeps a slow run under the server's 300.
        var connection = new NpgsqlConnectionStringBuilder(AdminConnection())
        {
            Database = name, Pooling = true, ConnectionIdleLifetime = 3, ConnectionPruningInterval = 1,
        }.ToString();
        return new TestDatabase(connection, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open somewhere: the OS cleans the temp folder eventually.
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnection());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string AdminConnection() =>
        Environment.GetEnvironmentVariable(PostgresVariable)
        ?? throw new InvalidOperationException($"PostgreSQL tests need {PostgresVariable} (a loopback server); build/test.sh starts one.");
}
