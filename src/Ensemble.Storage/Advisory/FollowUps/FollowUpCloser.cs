using System.Globalization;
using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>
/// Keeps open follow-ups in line with what happened since: an alert resolved cancels its follow-up (its agenda point
/// is withdrawn; a process already started is left to the team, and the note says so); a process that finished makes
/// its follow-up done, one cancelled cancels it; a meeting held makes its agenda points done, one cancelled moves
/// them to the household's next scheduled meeting, or cancels them when there is none.
/// </summary>
internal sealed class FollowUpCloser(EnsembleDb db, IClock clock)
{
    private sealed record Open(long Id, AlertId AlertId, HouseholdId Household, FollowUpStatus Status, InstanceId? Instance, TouchpointId? Touchpoint);

    public async Task<(int Done, int Cancelled)> CloseAsync(DateTimeZone zone, string actor, CancellationToken cancellationToken)
    {
        var (done, cancelled) = await AlertsResolvedAsync(zone, actor, cancellationToken);
        var processes = await ProcessesEndedAsync(zone, actor, cancellationToken);
        var meetings = await MeetingsOverAsync(zone, actor, cancellationToken);
        return (done + processes.Done + meetings.Done, cancelled + processes.Cancelled + meetings.Cancelled);
    }

    private async Task<(int Done, int Cancelled)> AlertsResolvedAsync(DateTimeZone zone, string actor, CancellationToken cancellationToken)
    {
        int done = 0, cancelled = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var batch = await (from f in db.FollowUps()
                               join a in db.Alerts on f.AlertId equals a.Id
                               where f.Status != FollowUpStatus.Done && f.Status != FollowUpStatus.Cancelled && a.Status == AlertStatus.Resolved
                               orderby f.Id
                               select new { FollowUp = f, a.ResolvedAt, a.Resolution })
                .Take(FollowUpRunner.Batch).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (done, cancelled);
            }

            var instances = await InstancesAsync(batch.Select(b => b.FollowUp.InstanceId).ToList(), cancellationToken);
            var now = clock.GetCurrentInstant();
            var withdraw = new List<AlertId>();
            foreach (var row in batch)
            {
                var f = row.FollowUp;
                var resolved = $"the alert was resolved ({(row.Resolution is { } r ? AlertStatuses.Name(r) : "resolved")}) on {Day(row.ResolvedAt ?? now, zone)}";
                if (f.InstanceId is { } id && instances.TryGetValue(id, out var process))
                {
                    if (process.Status == InstanceStatus.Completed)
                    {
                        done += f.Done(now, $"Process #{id} ({process.Name}) finished; {resolved}.").IsSuccess ? 1 : 0;
                        continue;
                    }

                    if (process.Status == InstanceStatus.Running)
                    {
                        cancelled += f.Cancel(now, $"Cancelled: {resolved}. Process #{id} ({process.Name}) is still running and is left to the team to finish or cancel.").IsSuccess ? 1 : 0;
                        continue;
                    }
                }

                if (f.Status == FollowUpStatus.OnAgenda)
                {
                    withdraw.Add(f.AlertId);
                }

                var note = f.Status != FollowUpStatus.QueuedForClient ? $"Cancelled: {resolved}."
                    : f.MessageKey is null ? $"Cancelled before the next mailing: {resolved}."
                    : await WithdrawAsync(f.MessageKey, now, cancellationToken) ? $"Cancelled before delivery: {resolved}; its message was withdrawn from the outbox."
                    : $"Cancelled: {resolved}. Its message had already gone out.";
                cancelled += f.Cancel(now, note).IsSuccess ? 1 : 0;
            }

            if (withdraw.Count > 0)
            {
                var ids = withdraw.Select(a => (AlertId?)a).ToList();
                foreach (var item in await db.AgendaItems().Where(i => i.WithdrawnAt == null && EF.Parameter(ids).Contains(i.AlertId)).ToListAsync(cancellationToken))
                {
                    item.Withdraw(now, $"The alert was resolved on {Day(now, zone)} before the meeting.");
                }
            }

            await SaveAsync(actor, cancellationToken);
        }
    }

    /// <summary>Takes a message still waiting in the outbox out of it (failed, with the reason); false once a sender has it or it went.</summary>
    private async Task<bool> WithdrawAsync(string key, Instant now, CancellationToken cancellationToken)
    {
        const string Why = "Withdrawn before sending: the alert it was about was resolved.";
        using var turn = await WriteGate.EnterAsync(db, cancellationToken);
        return await db.Outbox.Where(m => m.Key == key && m.Status == DeliveryStatus.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, DeliveryStatus.Failed).SetProperty(m => m.LastError, Why).SetProperty(m => m.FailedAt, now), cancellationToken) == 1;
    }

    private async Task<(int Done, int Cancelled)> ProcessesEndedAsync(DateTimeZone zone, string actor, CancellationToken cancellationToken)
    {
        int done = 0, cancelled = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var batch = await (from f in db.FollowUps()
                               join i in db.Instances on f.InstanceId equals (InstanceId?)i.Id
                               where f.Status == FollowUpStatus.TaskStarted && i.Status != InstanceStatus.Running
                               orderby f.Id
                               select new { FollowUp = f, i.Status, i.TemplateName, i.EndedAt })
                .Take(FollowUpRunner.Batch).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (done, cancelled);
            }

            var now = clock.GetCurrentInstant();
            foreach (var row in batch)
            {
                var f = row.FollowUp;
                var when = Day(row.EndedAt ?? now, zone);
                if (row.Status == InstanceStatus.Completed)
                {
                    done += f.Done(now, $"Process #{f.InstanceId} ({row.TemplateName}) finished on {when}.").IsSuccess ? 1 : 0;
                }
                else
                {
                    cancelled += f.Cancel(now, $"Process #{f.InstanceId} ({row.TemplateName}) was cancelled on {when}.").IsSuccess ? 1 : 0;
                }
            }

            await SaveAsync(actor, cancellationToken);
        }
    }

    private async Task<(int Done, int Cancelled)> MeetingsOverAsync(DateTimeZone zone, string actor, CancellationToken cancellationToken)
    {
        int done = 0, cancelled = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var batch = await (from f in db.FollowUps()
                               join t in db.Touchpoints on f.TouchpointId equals (TouchpointId?)t.Id
                               where f.Status == FollowUpStatus.OnAgenda && t.Status != TouchpointStatus.Planned
                               orderby f.Id
                               select new { FollowUp = f, t.Status, t.Kind, t.StartsAt, t.HeldAt })
                .Take(FollowUpRunner.Batch).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (done, cancelled);
            }

            var now = clock.GetCurrentInstant();
            var households = batch.Select(b => b.FollowUp.HouseholdId).Distinct().ToList();
            var next = await FollowUpRunner.NextMeetingsAsync(db, households, zone, now, cancellationToken);
            var alerts = batch.Select(b => (AlertId?)b.FollowUp.AlertId).ToList();
            var items = (await db.AgendaItems().Where(i => i.WithdrawnAt == null && EF.Parameter(alerts).Contains(i.AlertId)).ToListAsync(cancellationToken))
                .ToLookup(i => i.AlertId);
            foreach (var row in batch)
            {
                var f = row.FollowUp;
                var meeting = $"{ServiceModel.MeetingText.KindName(row.Kind).ToLowerInvariant()} of {row.StartsAt.ToString("d MMM uuuu", CultureInfo.InvariantCulture)}";
                if (row.Status == TouchpointStatus.Held)
                {
                    done += f.Done(now, $"Taken up at the {meeting}, held.").IsSuccess ? 1 : 0;
                }
                else if (next.TryGetValue(f.HouseholdId, out var later))
                {
                    f.OnAgenda(later);
                    foreach (var item in items[f.AlertId])
                    {
                        item.MoveTo(later);
                    }
                }
                else
                {
                    cancelled += f.Cancel(now, $"The {meeting} was cancelled and no other meeting is scheduled; the alert stays open on the alerts list.").IsSuccess ? 1 : 0;
                    foreach (var item in items[f.AlertId])
                    {
                        item.Withdraw(now, "The meeting was cancelled.");
                    }
                }
            }

            await SaveAsync(actor, cancellationToken);
        }
    }

    private async Task<Dictionary<InstanceId, (InstanceStatus Status, string Name)>> InstancesAsync(List<InstanceId?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(i => i is not null).Select(i => i!.Value).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var rows = await db.Instances.AsNoTracking().Where(i => EF.Parameter(wanted).Contains(i.Id)).Select(i => new { i.Id, i.Status, i.TemplateName }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (r.Status, r.TemplateName));
    }

    private async Task SaveAsync(string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = "close-follow-up";
        using (await WriteGate.EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
    }

    private static string Day(Instant at, DateTimeZone zone) => at.InZone(zone).Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
