using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>
/// Follows alerts up by quadrant, after each advisory run and at every sweep. It first closes what is over (the
/// alert resolved: cancelled; the process finished or the meeting held: done), then decides a plan for every new
/// alert that has none — its place on the firm's canvas, the household's channel preferences and do-not-contact, and
/// whether a meeting is scheduled — and carries it out: a process started so the task reaches the role on the
/// household's team, within each person's daily noise budget (the rest into their digest, ranked); a point on the
/// next meeting's agenda; or a message queued for the client. Running it again does nothing new: an alert has at
/// most one follow-up, a process starts once per alert, and runs on several nodes take turns through a lease.
/// </summary>
public sealed partial class FollowUpRunner(EnsembleDb db, IClock clock)
{
    /// <summary>Alerts decided, or follow-ups closed, per transaction.</summary>
    internal const int Batch = 500;

    private const string LeaseId = "follow-ups:run";

    /// <summary>How long a run may hold the lease before another node may assume it died and take over.</summary>
    private static readonly Duration Lease = Duration.FromMinutes(10);

    public async Task<FollowUpRunReport> RunAsync(string actor = Alert.System, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        if (!await AnythingToDoAsync(firm.Zone, today, cancellationToken))
        {
            return FollowUpRunReport.Idle(today, ran: true);
        }

        var lease = await TryLeaseAsync(cancellationToken);
        if (lease is null)
        {
            return FollowUpRunReport.Idle(today, ran: false);
        }

        try
        {
            var (done, cancelled) = await new FollowUpCloser(db, clock).CloseAsync(firm.Zone, actor, cancellationToken);
            var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var settings = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
            var playbooks = settings.Playbooks;
            var messages = await FollowUpMessages.LoadAsync(db, clock, cancellationToken);
            var (sent, redirected) = await SettleMessagesAsync(playbooks, firm.Zone, actor, cancellationToken);
            var escalated = await EscalateAsync(framework, playbooks, messages, firm.Zone, actor, cancellationToken);
            var decided = await DecideAsync(framework, playbooks, messages, firm.Zone, today, actor, cancellationToken);
            var tasks = await AllocateAsync(framework, settings, today, actor, cancellationToken);
            return new FollowUpRunReport(
                today, true, decided.Decided, tasks.Started, tasks.Digested, decided.OnAgenda, decided.Queued + escalated.Queued, done + sent, cancelled, tasks.Errors,
                escalated.Escalated, redirected + decided.Redirected + escalated.ToCalls);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.Operation = null;
            await ReleaseAsync(lease.Value, CancellationToken.None);
        }
    }

    /// <summary>A few cheap existence checks (new alerts, follow-ups waiting for the budget, alerts resolved or moved, processes and meetings over), so the sweep's call every minute costs next to nothing when all is in line.</summary>
    private async Task<bool> AnythingToDoAsync(DateTimeZone zone, LocalDate today, CancellationToken cancellationToken)
    {
        var followUps = db.FollowUps().AsNoTracking();
        if (await db.Alerts.AsNoTracking().AnyAsync(
                a => a.Status == AlertStatus.New && (a.SnoozedUntil == null || a.SnoozedUntil <= today) && !followUps.Any(f => f.AlertId == a.Id), cancellationToken))
        {
            return true;
        }

        var open = followUps.Where(f => f.Status != FollowUpStatus.Done && f.Status != FollowUpStatus.Cancelled);
        if (await open.AnyAsync(f => f.Status == FollowUpStatus.Planned || (f.Status == FollowUpStatus.InDigest && f.DigestOn < today), cancellationToken))
        {
            return true;
        }

        if (await open.AnyAsync(f => db.Alerts.Any(a => a.Id == f.AlertId && (a.Status == AlertStatus.Resolved || a.TypeKey != f.TypeKey)), cancellationToken))
        {
            return true;
        }

        // A type the firm moved into an urgent quadrant while follow-ups of it wait passively.
        var urgent = UrgentTypes(await AdvisorySettingsStore.GetAsync(db, cancellationToken));
        if (await open.AnyAsync(
                f => EF.Parameter(urgent).Contains(f.TypeKey) && (f.Quadrant == Quadrant.PlannedAdvice || f.Quadrant == Quadrant.SelfService)
                    && (f.Status == FollowUpStatus.Planned || f.Status == FollowUpStatus.InDigest || f.Status == FollowUpStatus.OnAgenda
                        || (f.Status == FollowUpStatus.QueuedForClient && f.MessageKey == null)),
                cancellationToken))
        {
            return true;
        }

        if (await open.AnyAsync(f => f.Status == FollowUpStatus.TaskStarted && db.Instances.Any(i => i.Id == f.InstanceId && i.Status != InstanceStatus.Running), cancellationToken))
        {
            return true;
        }

        if (await open.AnyAsync(f => f.Status == FollowUpStatus.QueuedForClient && db.Outbox.Any(m => m.Key == f.MessageKey && Settled.Contains(m.Status)), cancellationToken))
        {
            return true;
        }

        return await open.AnyAsync(f => f.Status == FollowUpStatus.OnAgenda && db.Touchpoints.Any(t => t.Id == f.TouchpointId && t.Status != TouchpointStatus.Planned), cancellationToken);
    }

    /// <summary>Takes the run's lease: one conditional write, so of several nodes only one runs at a time. Null when another holds it.</summary>
    private async Task<Instant?> TryLeaseAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var held = await db.PeriodicCursors.AsNoTracking().Where(c => c.TriggerId == LeaseId).Select(c => (Instant?)c.LastSweptAt).SingleOrDefaultAsync(cancellationToken);
        if (held is { } since)
        {
            if (since > now - Lease && since <= now)
            {
                return null;
            }

            var taken = await db.PeriodicCursors.Where(c => c.TriggerId == LeaseId && c.LastSweptAt == since)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastSweptAt, now), cancellationToken);
            return taken == 1 ? now : null;
        }

        db.PeriodicCursors.Add(new PeriodicCursor { TriggerId = LeaseId, LastSweptAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return now;
        }
        catch (DbUpdateException ex) when (Conflicts.IsUniqueViolation(ex))
        {
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Hands the lease back (dated well before any lease), unless another node took it over meanwhile.</summary>
    private Task ReleaseAsync(Instant taken, CancellationToken cancellationToken)
    {
        var free = taken - Lease - Duration.FromMinutes(1);
        return db.PeriodicCursors.Where(c => c.TriggerId == LeaseId && c.LastSweptAt == taken)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastSweptAt, free), cancellationToken);
    }
}
