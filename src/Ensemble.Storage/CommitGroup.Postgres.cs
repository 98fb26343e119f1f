using System.Data.Common;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Ensemble.Storage;

/// <remarks>
/// <para>On PostgreSQL a transaction that extends the audit chain holds its head from the append until its commit is on
/// disk, so transactions that each commit one change take turns at the disk: about a thousand a second on two cores,
/// whatever the app does. A group commits many changes with one flush.</para>
/// <para>It costs three round trips however many changes it holds: one batch with every prepared change's statements,
/// one append of all their audit events, and the commit. Each writer prepares its statements on its own thread before
/// it queues, so the group's leader does little more than send them.</para>
/// </remarks>
internal static partial class CommitGroup
{
    private sealed partial class Queue
    {
        /// <summary>
        /// PostgreSQL: the prepared changes go in one batch, writers with work of their own (a change that starts other
        /// processes) run it on the shared connection, and all their audit events are appended in one statement.
        /// </summary>
        /// <remarks>
        /// A savepoint per writer would cost two round trips each, so a writer that fails or declines rolls the group back
        /// instead, and hears of its own outcome. The prepared changes of the others are sent again as they are, in a new
        /// transaction: they were decided on rows nobody has changed since, as far as anyone committed. A writer whose
        /// work has already run is told to decide again on fresh state, as after any conflict. Each pass leaves out at
        /// least the writer that spoiled the last, so the group ends.
        /// </remarks>
        private static async Task RunAllOrNoneAsync(List<Writer> group, EnsembleDb leaderDb)
        {
            var pending = group.ToList();
            while (pending.Count > 0)
            {
                await using var transaction = await leaderDb.Database.BeginTransactionAsync(CancellationToken.None);
                var shared = transaction.GetDbTransaction();
                var spoiler = await SendPreparedAsync(pending, shared);
                var ran = new Dictionary<Writer, List<AuditBatch>>();
                foreach (var writer in pending.Where(w => w.Work is not null))
                {
                    if (spoiler is not null)
                    {
                        break;
                    }

                    var events = new List<AuditBatch>();
                    writer.Db.DeferredAudit = events;
                    try
                    {
                        await RunWorkAsync(writer, leaderDb, shared);
                    }
                    finally
                    {
                        writer.Db.DeferredAudit = null;
                    }

                    ran[writer] = events;
                    if (writer.Failure is not null || !writer.Kept)
                    {
                        spoiler = writer;
                    }
                }

                if (spoiler is not null)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    foreach (var writer in ran.Keys.Where(w => w != spoiler))
                    {
                        writer.Kept = false;
                        writer.Failure = RolledBackWith(spoiler);
                    }

                    // Left: the prepared changes and the work not yet run, except any that failed (a cancelled caller).
                    pending.RemoveAll(w => w == spoiler || ran.ContainsKey(w) || w.Failure is not null);
                    foreach (var writer in pending)
                    {
                        writer.Kept = false;
                    }

                    continue;
                }

                // In the order the writers joined, each change's events with its own actor, operation and time.
                var audit = new List<AuditBatch>();
                foreach (var writer in pending.Where(w => w.Kept))
                {
                    if (writer.Prepared is not null)
                    {
                        audit.Add(AuditOf(writer));
                    }
                    else
                    {
                        audit.AddRange(ran[writer]);
                    }
                }

                await AuditWriter.AppendAsync(leaderDb, audit, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                return;
            }
        }

        /// <summary>Sends every prepared change in one batch; answers the writer that spoiled it, or null when all were saved.</summary>
        private static async Task<Writer?> SendPreparedAsync(List<Writer> pending, DbTransaction shared)
        {
            var ready = new List<Writer>();
            foreach (var writer in pending.Where(w => w.Prepared is not null && w.Failure is null))
            {
                if (writer.CancellationToken.IsCancellationRequested)
                {
                    // Its caller gave up while it queued: it is not sent, and fails as cancelled.
                    writer.Failure = ExceptionDispatchInfo.Capture(new OperationCanceledException(writer.CancellationToken));
                    continue;
                }

                ready.Add(writer);
            }

            if (ready.Count == 0)
            {
                return null;
            }

            var connection = (NpgsqlConnection)shared.Connection!;
            await using var batch = connection.CreateBatch();
            batch.Transaction = (NpgsqlTransaction)shared;
            await using var factory = connection.CreateCommand();
            var owners = new List<Writer>();
            foreach (var writer in ready)
            {
                DirectSave.AddTo(batch, factory, writer.Prepared!.Plan);
                owners.AddRange(Enumerable.Repeat(writer, batch.BatchCommands.Count - owners.Count));
            }

            try
            {
                await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
                var first = true;
                foreach (var writer in ready)
                {
                    try
                    {
                        await DirectSave.ReadAnswersAsync(reader, writer.Prepared!.Plan, first, CancellationToken.None);
                    }
                    catch (DbUpdateConcurrencyException ex)
                    {
                        writer.Failure = ExceptionDispatchInfo.Capture(ex);
                        return writer;
                    }

                    first = false;
                }
            }
            catch (DbException ex)
            {
                // The statement that failed names its writer; the rest of the batch did not run.
                var failed = ex.BatchCommand is { } command && batch.BatchCommands.IndexOf(command) is >= 0 and var at ? owners[at] : ready[0];
                failed.Failure = ExceptionDispatchInfo.Capture(DirectSave.Failed(ex));
                return failed;
            }

            foreach (var writer in ready)
            {
                writer.Kept = true;
            }

            return null;
        }

        private static ExceptionDispatchInfo RolledBackWith(Writer spoiler) => ExceptionDispatchInfo.Capture(new DbUpdateConcurrencyException(
            $"The change shared its transaction with another that {(spoiler.Failure is null ? "declined" : "failed")}, so it was rolled back; decide it again."));
    }
}
