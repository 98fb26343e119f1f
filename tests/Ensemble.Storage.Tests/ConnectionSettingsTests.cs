using System.Data.Common;
using Ensemble.Common;
using Ensemble.Storage.Access;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests;

public sealed class ConnectionSettingsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EveryConnection_RefusesARowWhoseParentIsMissing_EvenWhenTakenFromThePoolAgain(StorageProvider provider)
    {
        var location = await TestDatabases.CreateAsync(provider);

        // Several rounds on one pool: the settings must hold for a reused connection as for a new one.
        for (var round = 0; round < 3; round++)
        {
            await using var db = EnsembleDatabase.CreateContext(location);
            db.ApiTokens.Add(new ApiToken { StaffId = new StaffId(999_999), Name = "orphan", Hash = $"h{round}", CreatedAt = Instant.FromUtc(2026, 11, 30, 9, 0) });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var check = EnsembleDatabase.CreateContext(location);
        Assert.Equal(0, await check.ApiTokens.CountAsync());
    }

    [Fact]
    public async Task SqliteConnections_CommitDurably_EnforceForeignKeys_WaitOnABusyFile_AndKeepTemporaryFilesInMemory_OnEveryOpen()
    {
        var location = await TestDatabases.CreateAsync(StorageProvider.Sqlite);
        for (var round = 0; round < 3; round++)
        {
            await using var db = EnsembleDatabase.CreateContext(location);
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();

            Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA synchronous"));   // FULL
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys"));
            Assert.Equal(30_000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
            Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA temp_store"));     // MEMORY
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PostgresStatementsRunAgainAndAgain_ArePreparedOnTheServer_AlsoOverConnectionsForManyRequests(bool forManyRequests)
    {
        var location = await TestDatabases.CreateAsync(StorageProvider.PostgreSql);
        await using var db = EnsembleDatabase.CreateContext(forManyRequests ? EnsembleDatabase.ForManyRequests(location) : location);

        // A multiplexing connection sends each command on whichever server session is free; a transaction holds one.
        await using var session = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < 10; i++)
        {
            await db.Staff.Where(s => s.Handle == "nobody").CountAsync();
        }

        var prepared = await ScalarAsync(db.Database.GetDbConnection(), "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM staff%'");
        Assert.True(prepared >= 1, "The repeated query should be prepared on the server.");
    }

    [Fact]
    public void PostgresDefaults_PrepareRepeatedStatements_AndSkipTheResetOnReturn()
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnection.WithDefaults("Host=127.0.0.1;Username=ensemble"));

        Assert.True(settings.MaxAutoPrepare > 0);
        Assert.True(settings.NoResetOnClose);
        Assert.False(settings.Multiplexing);
        Assert.Equal("127.0.0.1", settings.Host);
    }

    [Fact]
    public void ADatabaseForManyRequests_MultiplexesOnPostgres_UnlessTheConnectionStringSaysNotOrHasNoPool()
    {
        static bool Multiplexes(string connection) => new Npgsql.NpgsqlConnectionStringBuilder(
            EnsembleDatabase.ForManyRequests(new DatabaseLocation(StorageProvider.PostgreSql, connection)).ConnectionString).Multiplexing;

        Assert.True(Multiplexes("Host=db;Username=ensemble"));
        Assert.False(Multiplexes("Host=db;Username=ensemble;Multiplexing=false"));
        Assert.False(Multiplexes("Host=db;Username=ensemble;Pooling=false"));

        var sqlite = new DatabaseLocation(StorageProvider.Sqlite, "Data Source=firm.db");
        Assert.Equal(sqlite, EnsembleDatabase.ForManyRequests(sqlite));
    }

    [Fact]
    public void PostgresDefaults_KeepWhatTheConnectionStringChose()
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(
            PostgresConnection.WithDefaults("Host=db;Username=ensemble;Max Auto Prepare=0;No Reset On Close=false"));

        Assert.Equal(0, settings.MaxAutoPrepare);
        Assert.False(settings.NoResetOnClose);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
