using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

/// <summary>
/// On SQLite a transition commits without its own flush and then waits for a shared one (<see cref="GroupCommitTurn"/>).
/// PostgreSQL has no such path: its server groups commits itself, so these tests are SQLite's alone.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task ACompletion_ReturnsOnlyAfterItsDatabasesLogWasFlushed()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.Sqlite, Templates.File(Templates.MeetingPrep));
        var prepare = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var log = WalSync.For(new SqliteConnectionStringBuilder(s.Location.ConnectionString).DataSource);
        var before = log.Flushes;

        var done = await new WorkService(s.Db, s.Clock).CompleteAsync(prepare.Id, "alice");

        Assert.True(done.IsSuccess, done.Error?.Message);
        Assert.True(log.Flushes > before);
    }

    [Fact]
    public async Task AfterATransition_EveryPooledConnectionFlushesItsOwnCommitsAgain()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.Sqlite, Templates.File(Templates.MeetingPrep));
        var prepare = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        Assert.True((await new WorkService(s.Db, s.Clock).CompleteAsync(prepare.Id, "alice")).IsSuccess);

        // Holding several connections at once draws every idle one from the pool, the transition's among them.
        var held = new List<SqliteConnection>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var connection = new SqliteConnection(s.Location.ConnectionString);
                held.Add(connection);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA synchronous";
                Assert.Equal(2L, await command.ExecuteScalarAsync()); // FULL
            }
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
