using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

/// <summary>
/// On SQLite, transitions that queue for the write lock share one transaction and one commit (<see cref="CommitGroup"/>).
/// These hold SQLite's write lock to make transitions queue; PostgreSQL's groups have tests of their own
/// (<see cref="PostgresCommitGroupTests"/>), where a group is all or none.
/// </summary>
public sealed class CommitGroupTests
{
    [Fact]
    public async Task TransitionsQueuedBehindTheLock_CommitTogether_AndEachKeepsItsOwnChange()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.Sqlite, Templates.File(Templates.MeetingPrep));
        var prepares = new List<WorkTask>();
        for (var day = 1; day <= 6; day++)
        {
            prepares.Add(await s.StartMeetingPrepAsync(new LocalDate(2026, 12, day + 7)));
        }

        var contexts = prepares.Select(_ => s.OpenAnother()).ToList();
        try
        {
            var (results, commits) = await WhileTheLockIsHeldAsync(s, contexts.Select((db, i) => (Func<Task<Result<Transition>>>)(() =>
                new WorkService(db, s.Clock).CompleteAsync(prepares[i].Id, "alice"))).ToList());

            Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
            Assert.Equal(1, commits);
            var tasks = await s.TasksAsync();
            Assert.All(prepares, p => Assert.Equal(WorkTaskStatus.Done, tasks.Single(t => t.Id == p.Id).Status));
            Assert.Equal(6, tasks.Count(t => t.StepKey == "meet" && t.IsOpen));
            Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);

            // Each context lent the shared connection has its own again.
            foreach (var db in contexts)
            {
                Assert.Equal(12, await db.Tasks.CountAsync());
            }
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PooledContexts_WhoseConnectionsStayOpenBetweenRequests_StillCommitTogether_AndKeepTheirConnections()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.Sqlite, Templates.File(Templates.MeetingPrep));
        var prepares = new List<WorkTask>();
        for (var day = 1; day <= 4; day++)
        {
            prepares.Add(await s.StartMeetingPrepAsync(new LocalDate(2026, 12, day + 7)));
        }

        using var pool = new ContextPool(s.Location);
        var contexts = prepares.Select(_ => pool.Rent(s.Clock)).ToList();
        try
        {
            // A first request on each has opened its connection, which stays open for the next.
            foreach (var db in contexts)
            {
                Assert.Equal(4, await db.Tasks.CountAsync());
            }

            var connections = contexts.Select(db => db.Database.GetDbConnection()).ToList();
            var (results, commits) = await WhileTheLockIsHeldAsync(s, contexts.Select((db, i) => (Func<Task<Result<Transition>>>)(() =>
                new WorkService(db, s.Clock).CompleteAsync(prepares[i].Id, "alice"))).ToList());

            Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
            Assert.Equal(1, commits);
            Assert.Equal(connections, contexts.Select(db => db.Database.GetDbConnection()));
            Assert.All(connections, c => Assert.Equal(System.Data.ConnectionState.Open, c.State));
            Assert.Equal(4, (await s.TasksAsync()).Count(t => t.StepKey == "meet" && t.IsOpen));
            Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ATransitionThatFailsInsideAGroup_IsRolledBackAlone_AndTheOthersAreKept()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.Sqlite, Templates.File(Templates.AccountReview), Templates.File(Templates.MeetingPrep));
        await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();
        var prepare = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));

        await using var carol = s.OpenAnother();
        await using var bob = s.OpenAnother();
        await using var alice = s.OpenAnother();

        // Carol and Bob both decide on the open task before the lock frees; whoever saves second finds it moved on.
        var (results, _) = await WhileTheLockIsHeldAsync(s, [
            () => new WorkService(carol, s.Clock).CompleteAsync(gather.Id, "carol"),
            () => new WorkService(bob, s.Clock).CompleteAsync(gather.Id, "bob"),
            () => new WorkService(alice, s.Clock).CompleteAsync(prepare.Id, "alice"),
        ]);

        Assert.Single(results[..2], r => r.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, Assert.Single(results[..2], r => !r.IsSuccess).Error!.Kind);
        Assert.True(results[2].IsSuccess, results[2].Error?.Message);
        var tasks = await s.TasksAsync();
        Assert.Single(tasks, t => t.StepKey == "analyse");
        Assert.Single(tasks, t => t.StepKey == "meet" && t.IsOpen);
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
        Assert.Equal(1, await s.Db.AuditEvents.CountAsync(e => e.EntityType == nameof(WorkTask) && e.EntityId == gather.Id.Value.ToString() && e.Action == "updated"));
    }

    /// <summary>Starts every transition while this test holds SQLite's write lock, lets it go once all of them wait, and counts the commits.</summary>
    private static async Task<(Result<Transition>[] Results, long Commits)> WhileTheLockIsHeldAsync(PracticeScenario s, List<Func<Task<Result<Transition>>>> transitions)
    {
        var database = s.Db.Database.GetConnectionString()!;
        Task<Result<Transition>[]> all;
        long before;
        using (await WriteGate.EnterAsync(s.Db, CancellationToken.None))
        {
            before = CommitGroup.StatusOf(database).Commits;
            all = Task.WhenAll(transitions.Select(t => Task.Run(t)));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (CommitGroup.StatusOf(database).Waiting < transitions.Count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Only {CommitGroup.StatusOf(database).Waiting} of {transitions.Count} transitions reached the queue.");
                await Task.Delay(10);
            }
        }

        var results = await all;
        return (results, CommitGroup.StatusOf(database).Commits - before);
    }
}
