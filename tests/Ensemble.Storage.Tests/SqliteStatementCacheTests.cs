using System.Data.Common;
using Ensemble.Storage.Tests.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Testing;

namespace Ensemble.Storage.Tests;

/// <summary>
/// A pooled SQLite context keeps its connection open between requests, and the connection keeps the statements it
/// has run compiled (<see cref="SqliteStatementCache"/>).
/// </summary>
public sealed class SqliteStatementCacheTests
{
    private static readonly FakeClock Clock = new(Instant.FromUtc(2026, 12, 2, 9, 0));

    [Fact]
    public async Task APooledContextsConnection_StaysOpenBetweenRentals_AndRunsARepeatedStatementAsCompiledTheFirstTime()
    {
        using var pool = new ContextPool(await TestDatabases.CreateAsync(StorageProvider.Sqlite));
        DbConnection connection;
        object firstStatement;
        await using (var db = pool.Rent(Clock))
        {
            Assert.Equal(0, await db.PeriodicCursors.CountAsync());
            connection = db.Database.GetDbConnection();
            firstStatement = await StatementOfAsync(connection, "SELECT count(*) FROM periodic_cursors");
        }

        await using var again = pool.Rent(Clock);

        Assert.Same(connection, again.Database.GetDbConnection());
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Same(firstStatement, await StatementOfAsync(connection, "SELECT count(*) FROM periodic_cursors"));

        // EF Core's own commands go through the same statements, and still see what is written meanwhile.
        again.PeriodicCursors.Add(new PeriodicCursor { TriggerId = "review#0", LastSweptAt = Clock.GetCurrentInstant() });
        await again.SaveChangesAsync();
        Assert.Equal(1, await again.PeriodicCursors.CountAsync());
    }

    [Fact]
    public async Task AConnectionClosedAndOpenedAgain_CompilesAfresh_RatherThanRunOnTheHandleAnotherConnectionNowHolds()
    {
        var location = await TestDatabases.CreateAsync(StorageProvider.Sqlite);
        using var kept = new SqliteConnection(location.ConnectionString);
        SqliteConnection.ClearPool(kept);
        await kept.OpenAsync();
        SqliteStatementCache.Keep(kept);
        Assert.Equal(0L, await CountCursorsAsync(kept));

        // Closed and opened again on the same pooled handle, and closed again: the handle goes back to the pool with the
        // count still compiled on it, and is taken by another connection, which writes and has not committed.
        await kept.CloseAsync();
        await kept.OpenAsync();
        Assert.Equal(0L, await CountCursorsAsync(kept));
        await kept.CloseAsync();
        using var other = new SqliteConnection(location.ConnectionString);
        await other.OpenAsync();
        using var uncommitted = other.BeginTransaction();
        using (var insert = other.CreateCommand())
        {
            insert.Transaction = uncommitted;
            insert.CommandText = "INSERT INTO periodic_cursors (trigger_id, last_swept_at) VALUES ('uncommitted', '2026-12-02 09:00:00')";
            await insert.ExecuteNonQueryAsync();
        }

        await kept.OpenAsync();

        // A statement compiled on the old handle would run inside the other connection's transaction and see its row.
        Assert.Equal(0L, await CountCursorsAsync(kept));
        SqliteStatementCache.Release(kept);
    }

    [Fact]
    public async Task AContextHandedBackInsideATransaction_IsLentAFreshConnection_AndWhatItLeftIsRolledBack()
    {
        using var pool = new ContextPool(await TestDatabases.CreateAsync(StorageProvider.Sqlite));
        DbConnection left;
        DbTransaction unended;
        await using (var db = pool.Rent(Clock))
        {
            // A transaction begun on the connection itself, which EF Core does not know of and so cannot end.
            left = db.Database.GetDbConnection();
            unended = await left.BeginTransactionAsync();
            await using var insert = left.CreateCommand();
            insert.CommandText = "INSERT INTO periodic_cursors (trigger_id, last_swept_at) VALUES ('left behind', '2026-12-02 09:00:00')";
            await insert.ExecuteNonQueryAsync();
            Assert.True(SqliteStatementCache.HasLeftovers(left));
        }

        await using var again = pool.Rent(Clock);

        Assert.NotSame(left, again.Database.GetDbConnection());
        Assert.Equal(System.Data.ConnectionState.Closed, left.State);
        Assert.Equal(0, await again.PeriodicCursors.CountAsync());

        // Nothing holds the write lock: the next writer goes straight in.
        again.PeriodicCursors.Add(new PeriodicCursor { TriggerId = "next#0", LastSweptAt = Clock.GetCurrentInstant() });
        await again.SaveChangesAsync();
        Assert.Equal(1, await again.PeriodicCursors.CountAsync());
        await unended.DisposeAsync();
    }

    [Fact]
    public async Task AFullCache_MakesRoomByDroppingTheLeastRecentlyRun_NeverAStatementStillBeingRead()
    {
        var location = await TestDatabases.CreateAsync(StorageProvider.Sqlite);
        using var kept = new SqliteConnection(location.ConnectionString);
        await kept.OpenAsync();
        SqliteStatementCache.Keep(kept);
        await using (var insert = kept.CreateCommand())
        {
            insert.CommandText = "INSERT INTO periodic_cursors (trigger_id, last_swept_at) VALUES ('a#0', '2026-12-02 09:00:00'), ('b#0', '2026-12-02 09:00:00')";
            await insert.ExecuteNonQueryAsync();
        }

        // A split query reads its first part while it runs the others.
        await using var first = kept.CreateCommand();
        first.CommandText = "SELECT trigger_id FROM periodic_cursors ORDER BY trigger_id";
        await using var reading = await SqliteStatementCache.ExecuteReaderAsync(first, CancellationToken.None);
        Assert.True(await reading.ReadAsync());

        for (var n = 0; n < 300; n++)
        {
            await using var other = kept.CreateCommand();
            other.CommandText = $"SELECT {n}";
            await using var reader = await SqliteStatementCache.ExecuteReaderAsync(other, CancellationToken.None);
            Assert.True(await reader.ReadAsync());
        }

        Assert.True(await reading.ReadAsync());
        Assert.Equal("b#0", reading.GetString(0));
        await reading.DisposeAsync();
        SqliteStatementCache.Release(kept);
    }

    /// <summary>The SQLite statement a kept connection runs <paramref name="sql"/> as, read through a reader of its own.</summary>
    private static async Task<object> StatementOfAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = (SqliteDataReader)await SqliteStatementCache.ExecuteReaderAsync(command, CancellationToken.None);
        return reader.Handle!;
    }

    private static async Task<long> CountCursorsAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM periodic_cursors";
        await using var reader = await SqliteStatementCache.ExecuteReaderAsync(command, CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        return reader.GetInt64(0);
    }
}
