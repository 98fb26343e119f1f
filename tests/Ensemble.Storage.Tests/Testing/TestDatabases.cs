using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ensemble.Storage.Tests.Testing;

/// <summary>
/// Fresh, migrated databases for tests on both providers. Each test gets its own database, copied
/// from one migrated template (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL),
/// because the audit trail's triggers rightly refuse the DELETEs a reset tool would issue.
/// </summary>
public static class TestDatabases
{
    /// <summary>Set by build/test.sh: a PostgreSQL superuser connection on loopback.</summary>
    public const string PostgresVariable = "ENSEMBLE_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _sqliteTemplate;
    private static string? _postgresTemplate;
    private static int _counter;

    public static IEnumerable<object[]> Providers => [[StorageProvider.Sqlite], [StorageProvider.PostgreSql]];

    public static async Task<DatabaseLocation> CreateAsync(StorageProvider provider)
    {
        var n = Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);
        var unique = $"{Environment.ProcessId}_{n}_{Guid.NewGuid():N}"[..24];
        if (provider == StorageProvider.Sqlite)
        {
            var template = await SqliteTemplateAsync();
            var path = Path.Combine(Path.GetTempPath(), "ensemble-tests", $"t_{unique}.db");
            File.Copy(template, path);
            return EnsembleDatabase.Describe(path);
        }

        var templateDb = await PostgresTemplateAsync();
        var name = $"t_{unique}".ToLowerInvariant();
        await using (var admin = new NpgsqlConnection(AdminConnection()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{templateDb}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return EnsembleDatabase.Describe(WithDatabase(name));
    }

    /// <summary>A fresh PostgreSQL database connected as the web app connects (<see cref="EnsembleDatabase.ForManyRequests"/>).</summary>
    public static async Task<DatabaseLocation> CreateForManyRequestsAsync() =>
        EnsembleDatabase.ForManyRequests(await CreateAsync(StorageProvider.PostgreSql));

    /// <summary>A database with no schema at all, as a new user's would be: a new SQLite file, or a new PostgreSQL database.</summary>
    public static async Task<DatabaseLocation> CreateEmptyAsync(StorageProvider provider, string prefix)
    {
        if (provider == StorageProvider.Sqlite)
        {
            return EnsembleDatabase.Describe(Path.Combine(Directory.CreateTempSubdirectory($"ensemble-{prefix}-").FullName, "firm.db"));
        }

        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 17)];
        await using var admin = new NpgsqlConnection(AdminConnection());
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync();
        return EnsembleDatabase.Describe(WithDatabase(name));
    }

    public static string AdminConnection() =>
        Environment.GetEnvironmentVariable(PostgresVariable)
        ?? throw new InvalidOperationException(
            $"PostgreSQL tests need {PostgresVariable} (a loopback server). Run the tests with build/test.sh, which starts one.");

    // Every test has its own database, so a pool is idle for good once its test ends. Its connections are closed
    // within seconds rather than the default five minutes, or a slow run holds more than the server's 300 at once.
    public static string WithDatabase(string name) => new NpgsqlConnectionStringBuilder(AdminConnection())
    {
        Database = name, Pooling = true, ConnectionIdleLifetime = 3, ConnectionPruningInterval = 1,
    }.ToString();

    private static async Task<string> SqliteTemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_sqliteTemplate is null)
            {
                var folder = Path.Combine(Path.GetTempPath(), "ensemble-tests");
                Directory.CreateDirectory(folder);
                var path = Path.Combine(folder, $"template_{Environment.ProcessId}_{Guid.NewGuid():N}.db");
                await EnsembleDatabase.MigrateAsync(EnsembleDatabase.Describe(path));
                SqliteConnection.ClearAllPools();
                _sqliteTemplate = path;
            }

            return _sqliteTemplate;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> PostgresTemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_postgresTemplate is null)
            {
                var name = $"tpl_{Environment.ProcessId}_{Guid.NewGuid():N}"[..30];
                await using (var admin = new NpgsqlConnection(AdminConnection()))
                {
                    await admin.OpenAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                    await create.ExecuteNonQueryAsync();
                }

                await EnsembleDatabase.MigrateAsync(EnsembleDatabase.Describe(WithDatabase(name)));
                NpgsqlConnection.ClearAllPools();
                _postgresTemplate = name;
            }

            return _postgresTemplate;
        }
        finally
        {
            Gate.Release();
        }
    }
}
