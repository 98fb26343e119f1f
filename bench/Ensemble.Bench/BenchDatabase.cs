using System.Globalization;
using Ensemble.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ensemble.Bench;

/// <summary>
/// A fresh, migrated database for one scenario: a SQLite file under the temp folder (WAL,
/// synchronous=FULL, as Ensemble opens every connection) or a new PostgreSQL database. Removed afterwards.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly string _name;

    private BenchDatabase(BenchOptions options, DatabaseLocation location, string name)
    {
        _options = options;
        Location = location;
        _name = name;
    }

    public DatabaseLocation Location { get; }

    public StorageProvider Provider => Location.Provider;

    public static async Task<BenchDatabase> CreateAsync(BenchOptions options, StorageProvider provider, string scenario)
    {
        var name = $"bench_{scenario.Replace('-', '_')}_{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        DatabaseLocation location;
        if (provider == StorageProvider.Sqlite)
        {
            Directory.CreateDirectory(options.WorkFolder);
            var path = Path.Combine(options.WorkFolder, name + ".db");
            DeleteSqliteFiles(path);
            location = EnsembleDatabase.Describe(path);
        }
        else
        {
            await AdminAsync(options, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            await AdminAsync(options, $"CREATE DATABASE \"{name}\"");
            var builder = new NpgsqlConnectionStringBuilder(options.PostgresAdmin) { Database = name, Pooling = true, MaxPoolSize = 100 };
            location = EnsembleDatabase.Describe(builder.ToString());
        }

        await EnsembleDatabase.MigrateAsync(location);
        return new BenchDatabase(options, location, name);
    }

    public EnsembleDb Open(NodaTime.IClock clock) => EnsembleDatabase.CreateContext(location: Location, clock: clock);

    /// <summary>Describes the durability settings actually in force, so the figures say what they were measured with.</summary>
    public async Task<string> DurabilityAsync()
    {
        await using var db = Open(NodaTime.SystemClock.Instance);
        if (Provider == StorageProvider.Sqlite)
        {
            var journal = await ScalarAsync(db, "PRAGMA journal_mode");
            var synchronous = await ScalarAsync(db, "PRAGMA synchronous");
            var name = synchronous switch { "0" => "OFF", "1" => "NORMAL", "2" => "FULL", "3" => "EXTRA", _ => synchronous };
            return $"journal_mode={journal}, synchronous={name}";
        }

        var fsync = await ScalarAsync(db, "SHOW fsync");
        var commit = await ScalarAsync(db, "SHOW synchronous_commit");
        var version = await ScalarAsync(db, "SHOW server_version");
        return $"PostgreSQL {version}, fsync={fsync}, synchronous_commit={commit}";
    }

    /// <summary>
    /// Settles the database after a bulk load, as a running firm's database is: planner statistics refreshed (as
    /// autovacuum would) and the load's dirty pages written out, so neither lands inside a measured window.
    /// </summary>
    public async Task AnalyzeAsync()
    {
        await using var db = Open(NodaTime.SystemClock.Instance);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.ExecuteSqlRawAsync(Provider == StorageProvider.Sqlite ? "ANALYZE" : "VACUUM ANALYZE");
        await db.Database.ExecuteSqlRawAsync(Provider == StorageProvider.Sqlite ? "PRAGMA wal_checkpoint(TRUNCATE)" : "CHECKPOINT");
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == StorageProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            DeleteSqliteFiles(new SqliteConnectionStringBuilder(Location.ConnectionString).DataSource);
        }
        else
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(_options, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
        }
    }

    private static async Task<string> ScalarAsync(EnsembleDb db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task AdminAsync(BenchOptions options, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.PostgresAdmin) { Database = "postgres", Pooling = false };
        await using var admin = new NpgsqlConnection(builder.ToString());
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    private static void DeleteSqliteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }

        // The web app keeps its outbox's send journal beside the database file.
        if (Directory.Exists(path + ".outbox-journal"))
        {
            Directory.Delete(path + ".outbox-journal", recursive: true);
        }
    }
}
