using System.Collections.Concurrent;
using System.Data;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ensemble.Storage;

/// <summary>
/// Writers of this process that queue for SQLite's single write lock share one transaction: the first in line runs each
/// waiting writer's work in turn, each under its own savepoint, and commits them all at once. On PostgreSQL, changes
/// decided before they queue are grouped too, all or none (CommitGroup.Postgres.cs). A writer's change is either work
/// the leader runs for it, or prepared by the writer itself (<see cref="SaveDecidedAsync"/>), which the leader only sends.
/// </summary>
/// <remarks>
/// <para>Under load the turn, not the work, was the limit: every writer paid for its own begin, commit, connection and
/// flush settings, and the next writer's thread had to wake before the lock did any work again. A group pays once, and
/// pages that every writer touches (the end of a table, the audit head) go to the log once per group.</para>
/// <para>Each writer still succeeds or fails alone. Work that fails or declines is rolled back to its savepoint; the
/// others keep their changes. A writer hears of its outcome only once the group's commit is on disk
/// (<see cref="GroupCommitTurn"/>). A failed commit fails every writer in the group, and all their changes are gone.</para>
/// <para>A waiting writer's context is lent the leader's connection and transaction while its work runs, and gets its
/// own connection back before it hears the outcome. So its work must not start a transaction of its own. A context
/// whose connection its owner holds open (an in-memory database lives on one) does not join a group: it takes the lock
/// alone. A pooled context's connection, kept open between requests, counts as closed while it is idle.</para>
/// </remarks>
internal static partial class CommitGroup
{
    // Enough to carry a burst through one commit, few enough that the first writer's wait stays short.
    private const int MostWriters = 32;

    private static readonly ConcurrentDictionary<string, Queue> Queues = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction, perhaps shared with other writers, and returns once the
    /// transaction has committed (its result true: the work's changes are kept) or the work declined (false: its
    /// changes were rolled back). An exception from the work is thrown here after its changes were rolled back.
    /// </summary>
    /// <param name="work">Reads and changes through <paramref name="db"/> and saves; false when it declines to change anything.</param>
    /// <param name="decided">True when the change was decided before (the work saves it, and reads only to start what it
    /// triggers). Only such changes share a transaction on PostgreSQL, where each read in a group is a round trip that
    /// the whole group waits for.</param>
    public static async Task<bool> RunAsync(EnsembleDb db, Func<Task<bool>> work, bool decided, CancellationToken cancellationToken)
    {
        var groups = db.Provider == StorageProvider.Sqlite || (decided && db.Provider == StorageProvider.PostgreSql);
        if (!groups || SqliteStatementCache.InUse(db.Database.GetDbConnection()))
        {
            return await AloneAsync(db, work, cancellationToken);
        }

        return await QueueAsync(new Writer(db, work, cancellationToken));
    }

    /// <summary>
    /// Writes the change tracked by <paramref name="db"/>, decided before this call, in a commit group, and returns once
    /// it has committed. Its statements and audit are prepared here, on the caller's thread, so the group's leader only
    /// runs them. Null when the change is not one a group can write from prepared statements (see <see cref="DirectSave"/>)
    /// or the context cannot join a group: the caller saves it the usual way.
    /// </summary>
    public static async Task<bool?> SaveDecidedAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null
            || SqliteStatementCache.InUse(db.Database.GetDbConnection()) || db.PrepareDirectSave() is not { } prepared)
        {
            return null;
        }

        var kept = await QueueAsync(new Writer(db, work: null, cancellationToken, prepared));
        db.ChangeTracker.AcceptAllChanges();
        return kept;
    }

    private static async Task<bool> QueueAsync(Writer writer)
    {
        var queue = Queues.GetOrAdd(writer.Db.Database.GetConnectionString() ?? "", _ => new Queue());
        if (queue.Join(writer) || await writer.Called.Task)
        {
            await queue.LeadAsync(writer);
        }

        writer.Failure?.Throw();
        return writer.Kept;
    }

    /// <summary>How many groups have committed on the database of <paramref name="connectionString"/>, and how many writers wait now.</summary>
    internal static (long Commits, int Waiting) StatusOf(string connectionString) =>
        Queues.TryGetValue(connectionString, out var queue) ? queue.Status : (0, 0);

    private static async Task<bool> AloneAsync(EnsembleDb db, Func<Task<bool>> work, CancellationToken cancellationToken)
    {
        // Disposed after the transaction, so the turn ends once it has committed or rolled back.
        await using var turn = await GroupCommitTurn.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await work())
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        turn.Committed();
        return true;
    }

    /// <param name="work">What the writer does in the shared transaction; null when its change is <paramref name="prepared"/>.</param>
    private sealed class Writer(EnsembleDb db, Func<Task<bool>>? work, CancellationToken cancellationToken, PreparedChange? prepared = null)
    {
        public EnsembleDb Db { get; } = db;

        public Func<Task<bool>>? Work { get; } = work;

        /// <summary>A change whose statements and audit the writer has prepared: the leader only sends them.</summary>
        public PreparedChange? Prepared { get; } = prepared;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>True: this writer leads the next group. False: a leader ran its work and its outcome is set.</summary>
        public TaskCompletionSource<bool> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Kept { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }
    }

    private sealed partial class Queue
    {
        private readonly Lock _lock = new();
        private readonly Queue<Writer> _waiting = new();
        private bool _led;
        private long _commits;

        public (long Commits, int Waiting) Status
        {
            get
            {
                lock (_lock)
                {
                    return (_commits, _waiting.Count);
                }
            }
        }

        /// <summary>Queues the writer; true when no group is running or called, so it leads at once.</summary>
        public bool Join(Writer writer)
        {
            lock (_lock)
            {
                _waiting.Enqueue(writer);
                if (_led)
                {
                    return false;
                }

                _led = true;
                return true;
            }
        }

        /// <summary>Runs the group that <paramref name="leader"/> heads (it is first in line), then calls the next leader.</summary>
        public async Task LeadAsync(Writer leader)
        {
            var group = new List<Writer>();
            var called = false;
            try
            {
                await using var turn = await GroupCommitTurn.EnterAsync(leader.Db, CancellationToken.None);
                try
                {
                    // Everyone who queued while the lock was taken joins: the group forms when it can start.
                    lock (_lock)
                    {
                        while (group.Count < MostWriters && _waiting.TryDequeue(out var writer))
                        {
                            group.Add(writer);
                        }
                    }

                    await RunAndCommitAsync(leader.Db, group, turn);
                    Interlocked.Increment(ref _commits);
                }
                finally
                {
                    // The next group may begin as soon as this turn is over, while this one waits for the disk.
                    called = true;
                    CallNextLeader();
                }
            }
            catch (Exception ex)
            {
                // A failed turn or commit: nobody's change was kept. A leader that could not take the lock heads no group.
                if (group.Count == 0)
                {
                    lock (_lock)
                    {
                        group.Add(_waiting.Dequeue());
                    }
                }

                foreach (var writer in group)
                {
                    writer.Kept = false;
                    writer.Failure ??= ExceptionDispatchInfo.Capture(ex);
                }
            }

            if (!called)
            {
                CallNextLeader();
            }

            foreach (var writer in group.Where(w => w != leader))
            {
                writer.Called.SetResult(false);
            }
        }

        private void CallNextLeader()
        {
            Writer? next;
            lock (_lock)
            {
                _led = _waiting.TryPeek(out next);
            }

            next?.Called.SetResult(true);
        }

        private static async Task RunAndCommitAsync(EnsembleDb leaderDb, List<Writer> group, GroupCommitTurn turn)
        {
            if (leaderDb.Provider == StorageProvider.PostgreSql)
            {
                await RunAllOrNoneAsync(group, leaderDb);
                return;
            }

            await using var transaction = await leaderDb.Database.BeginTransactionAsync(CancellationToken.None);
            var shared = transaction.GetDbTransaction();
            foreach (var writer in group)
            {
                await RunOneAsync(writer, leaderDb, shared);
            }

            // The prepared changes' audit events go in at the end, in one append.
            await AuditWriter.AppendAsync(leaderDb, group.Where(w => w.Kept && w.Prepared is not null).Select(AuditOf).ToList(), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            turn.Committed();
        }

        /// <summary>A prepared change's audit events, once its statements have run: the new rows take their ids first.</summary>
        private static AuditBatch AuditOf(Writer writer)
        {
            var prepared = writer.Prepared!;
            prepared.Plan.Apply();
            return AuditWriter.BatchOf(writer.Db, prepared.Captured.Select(c => c.Complete()).ToList(), writer.Db.Clock.GetCurrentInstant());
        }

        private static async Task RunOneAsync(Writer writer, EnsembleDb leaderDb, System.Data.Common.DbTransaction shared)
        {
            const string Savepoint = "writer";
            await shared.SaveAsync(Savepoint, CancellationToken.None);
            if (writer.Prepared is { } prepared)
            {
                try
                {
                    writer.CancellationToken.ThrowIfCancellationRequested();
                    await DirectSave.RunAsync(prepared.Plan, shared, CancellationToken.None);
                    writer.Kept = true;
                }
                catch (Exception ex)
                {
                    writer.Failure = ExceptionDispatchInfo.Capture(ex);
                }
            }
            else
            {
                await RunWorkAsync(writer, leaderDb, shared);
            }

            if (!writer.Kept)
            {
                await shared.RollbackAsync(Savepoint, CancellationToken.None);
            }

            await shared.ReleaseAsync(Savepoint, CancellationToken.None);
        }

        /// <summary>Runs the writer's work on the shared connection and transaction; its outcome is left on the writer.</summary>
        private static async Task RunWorkAsync(Writer writer, EnsembleDb leaderDb, System.Data.Common.DbTransaction shared)
        {
            var lent = writer.Db != leaderDb;
            var ownConnection = lent ? writer.Db.Database.GetConnectionString() : null;

            // A pooled context's kept connection is not its to lose: it is handed back as it was.
            var own = lent ? writer.Db.Database.GetDbConnection() : null;
            var kept = own is not null && SqliteStatementCache.IsKept(own) ? own : null;
            if (lent)
            {
                writer.Db.Database.SetDbConnection(shared.Connection, contextOwnsConnection: false);
                await writer.Db.Database.UseTransactionAsync(shared, CancellationToken.None);
            }

            try
            {
                // A writer whose caller gave up while it queued is not run: it fails as cancelled, like any other failure.
                writer.CancellationToken.ThrowIfCancellationRequested();
                writer.Kept = await writer.Work!();
            }
            catch (Exception ex)
            {
                writer.Kept = false;
                writer.Failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                if (lent)
                {
                    // Back to a connection of its own: its kept one, or one made afresh from its connection string when next needed.
                    await writer.Db.Database.UseTransactionAsync(null, CancellationToken.None);
                    writer.Db.Database.SetDbConnection(kept, contextOwnsConnection: false);
                    if (kept is null)
                    {
                        writer.Db.Database.SetConnectionString(ownConnection);
                    }
                }
            }
        }
    }
}
