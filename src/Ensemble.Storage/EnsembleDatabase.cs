using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NodaTime;

namespace Ensemble.Storage;

/// <summary>Where the data lives: a SQLite file or a PostgreSQL connection string.</summary>
public sealed record DatabaseLocation(StorageProvider Provider, string ConnectionString)
{
    public override string ToString() => Provider == StorageProvider.Sqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ToString();
}

/// <summary>Opens Ensemble's database on either provider and keeps its schema current.</summary>
public static class EnsembleDatabase
{
    /// <summary>The environment variable naming the database when --db is not given.</summary>
    public const string EnvironmentVariable = "ENSEMBLE_DB";

    public const string DefaultFile = "ensemble.db";

    /// <summary>"Host=…" (or "postgres://…") means PostgreSQL; anything else is a SQLite file path.</summary>
    public static DatabaseLocation Describe(string? db)
    {
        var value = string.IsNullOrWhiteSpace(db) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : db;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = DefaultFile;
        }

        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseLocation(StorageProvider.PostgreSql, value);
        }

        var path = value.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
            ? new SqliteConnectionStringBuilder(value).DataSource
            : value;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new DatabaseLocation(StorageProvider.Sqlite, builder.ToString());
    }

    // Options are built once per database: building them is cheap for a command but not for every web request.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DatabaseLocation, DbContextOptions> Options = new();

    public static EnsembleDb CreateContext(DatabaseLocation location, IClock? clock = null)
    {
        var options = OptionsFor(location);
        EnsembleDb db = location.Provider switch
        {
            StorageProvider.Sqlite => new SqliteEnsembleDb((DbContextOptions<SqliteEnsembleDb>)options),
            _ => new PostgresEnsembleDb((DbContextOptions<PostgresEnsembleDb>)options),
        };
        db.Clock = clock ?? SystemClock.Instance;
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return db;
    }

    /// <summary>
    /// <paramref name="location"/> as a server with many requests at once should use it: on PostgreSQL, connections
    /// that multiplex commands (see <see cref="PostgresConnection.Multiplexed"/>); SQLite as it is.
    /// </summary>
    public static DatabaseLocation ForManyRequests(DatabaseLocation location) => location.Provider == StorageProvider.PostgreSql
        ? location with { ConnectionString = PostgresConnection.Multiplexed(location.ConnectionString) }
        : location;

    /// <summary>The options every context on <paramref name="location"/> is built with (built once, shared).</summary>
    internal static DbContextOptions OptionsFor(DatabaseLocation location) => Options.GetOrAdd(location, BuildOptions);

    private static DbContextOptions BuildOptions(DatabaseLocation location) => location.Provider switch
    {
        StorageProvider.Sqlite => new DbContextOptionsBuilder<SqliteEnsembleDb>()
            .UseSqlite(location.ConnectionString, o => o.MigrationsAssembly(typeof(EnsembleDatabase).Assembly.FullName))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(SqlitePragmas.Instance, SqliteStatementCache.Instance)
            .Options,
        _ => new DbContextOptionsBuilder<PostgresEnsembleDb>()
            .UseNpgsql(PostgresConnection.WithDefaults(location.ConnectionString), o => o.MigrationsAssembly(typeof(EnsembleDatabase).Assembly.FullName))
            .UseSnakeCaseNamingConvention()
            .Options,
    };

    /// <summary>Creates the database if needed and applies pending migrations.</summary>
    public static async Task MigrateAsync(DatabaseLocation location, CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext(location);

        // The migrator also diffs the code's model against the last migration's, which means building the
        // design-time model: over a second of every start. Only run it when there is a migration to apply
        // (SchemaTests proves the migrations match the model).
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (location.Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers work while a writer commits; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

            // A migration that rebuilds a table turns foreign keys off on its connection; pooled handles keep
            // their settings, so start the app on fresh ones.
            SqliteConnection.ClearPool((SqliteConnection)db.Database.GetDbConnection());
        }
    }

    /// <summary>True when the schema exists and has a firm in it.</summary>
    public static async Task<bool> HasFirmAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        if (db.Provider == StorageProvider.Sqlite && !File.Exists(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource))
        {
            return false;
        }

        try
        {
            return await db.Firms.AnyAsync(cancellationToken);
        }
        catch (DbException)
        {
            return false;
        }
    }
}
