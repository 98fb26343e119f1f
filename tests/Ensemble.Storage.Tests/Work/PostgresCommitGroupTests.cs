using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

/// <summary>
/// On PostgreSQL, transitions decided before they queue share a transaction: their statements go in one batch, their
/// audit events in one append, and one commit serves them all (<see cref="CommitGroup"/>). To make them queue, a test
/// holds the audit head's row lock, so the group in front cannot commit until it lets go.
/// </summary>
public sealed class PostgresCommitGroupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CompletionsQueuedBehindAGroup_CommitTogether_AndEachKeepsItsOwnChange()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.PostgreSql, Templates.File(Templates.MeetingPrep));
        var prepares = new List<WorkTask>();
        for (var day = 1; day <= 7; day++)
        {
            prepares.Add(await s.StartMeetingPrepAsync(new LocalDate(2026, 12, day + 7)));
        }

        var (results, commits) = await BehindAHeldGroupAsync(s, prepares[0].Id, prepares.Skip(1).Select(p => (p.Id, "alice")).ToList());

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(2, commits);
        var tasks = await s.TasksAsync();
        Assert.All(prepares, p => Assert.Equal(WorkTaskStatus.Done, tasks.Single(t => t.Id == p.Id).Status));
        Assert.Equal(7, tasks.Count(t => t.StepKey == "meet" && t.IsOpen));

        // Each change is in the trail as its own, named after the ids the database gave the new tasks.
        var created = await s.Db.AuditEvents.AsNoTracking().Where(e => e.EntityType == nameof(WorkTask) && e.Action == "created" && e.Operation == "complete-task").ToListAsync();
        Assert.Equal(
            tasks.Where(t => t.StepKey == "meet").Select(t => t.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(),
            created.Select(e => e.EntityId).Order());
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task AConflictInsideAGroup_IsRefusedAlone_AndTheOthersChangesAreSentAgainAndKept()
    {
        await using var s = await PracticeScenario.CreateAsync(StorageProvider.PostgreSql, Templates.File(Templates.AccountReview), Templates.File(Templates.MeetingPrep));
        await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();
        var first = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        var prepare = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 8));

        // Carol and Bob both decide on the open task; in the group, the second to be written finds it moved on.
        var (results, commits) = await BehindAHeldGroupAsync(s, first.Id, [(gather.Id, "carol"), (gather.Id, "bob"), (prepare.Id, "alice")]);

        Assert.Single(results[..2], r => r.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, Assert.Single(results[..2], r => !r.IsSuccess).Error!.Kind);
        Assert.True(results[2].IsSuccess, results[2].Error?.Message);
        var tasks = await s.TasksAsync();
        Assert.Single(tasks, t => t.StepKey == "analyse");
        Assert.Equal(2, tasks.Count(t => t.StepKey == "meet" && t.IsOpen));
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
        Assert.Equal(1, await s.Db.AuditEvents.CountAsync(e => e.EntityType == nameof(WorkTask) && e.EntityId == gather.Id.Value.ToString() && e.Action == "updated"));

        // Alice's change and the first of Carol's and Bob's were sent again in the same group, not decided again in another.
        Assert.Equal(2, commits);
    }

    /// <summary>
    /// Completes <paramref name="leading"/> while this test holds the audit head, so its group waits to append; starts the
    /// other completions, each on its own context, once it does; lets go when all of them queue; and counts the commits.
    /// </summary>
    private static async Task<(Result<Transition>[] Results, long Commits)> BehindAHeldGroupAsync(
        PracticeScenario s, TaskId leading, List<(TaskId Task, string Actor)> completions)
    {
        var database = s.Db.Database.GetConnectionString()!;
        var contexts = completions.Select(_ => s.OpenAnother()).ToList();
        await using var leader = s.OpenAnother();
        await using var holder = s.OpenAnother();
        try
        {
            var before = CommitGroup.StatusOf(database).Commits;
            Task<Result<Transition>> first;
            Task<Result<Transition>[]> all;
            await using (var hold = await holder.Database.BeginTransactionAsync())
            {
                await holder.Database.ExecuteSqlRawAsync("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE");
                first = Task.Run(() => new WorkService(leader, s.Clock).CompleteAsync(leading, "dora"));
                await UntilAsync(async () => await WaitingOnTheHeadAsync(s) == 1, "the first group to wait for the audit head");

                all = Task.WhenAll(completions.Select((c, i) => Task.Run(() => new WorkService(contexts[i], s.Clock).CompleteAsync(c.Task, c.Actor))));
                await UntilAsync(() => Task.FromResult(CommitGroup.StatusOf(database).Waiting == completions.Count), "every other completion to queue");
                await hold.RollbackAsync();
            }

            Assert.True((await first.WaitAsync(Patience)).IsSuccess);
            var results = await all.WaitAsync(Patience);
            return (results, CommitGroup.StatusOf(database).Commits - before);
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    private static async Task<int> WaitingOnTheHeadAsync(PracticeScenario s)
    {
        await using var db = s.OpenAnother();
        return await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%audit_head%' AND datname = current_database()")
            .SingleAsync();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
