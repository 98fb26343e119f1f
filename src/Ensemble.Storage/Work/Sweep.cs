using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Processes.Running;
using Ensemble.Processes.Scheduling;
using Ensemble.Processes.Templates;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>What one sweep did.</summary>
public sealed record SweepReport(int MarkedOverdue, int ProcessesStarted, int OccurrencesSkipped);

/// <summary>
/// The clock-driven sweep: flags work that has gone past due and starts periodic processes.
/// Safe to run twice or from two processes at once: overdue flags are set once under optimistic
/// concurrency, and each trigger occurrence has a unique key that can start at most one instance.
/// </summary>
public sealed class Sweep(EnsembleDb db, IClock clock)
{
    private const int Batch = 500;

    public async Task<SweepReport> RunAsync(string actor = "ensemble", CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var overdue = await MarkOverdueAsync(firm.Today(clock), actor, cancellationToken);
        var (started, skipped) = await StartPeriodicAsync(firm, actor, cancellationToken);
        await new ServiceModel.TierBook(db, clock).RecomputeDailyAsync(actor, cancellationToken);
        await new Advisory.AdvisoryRun(db, clock).RunDailyAsync(actor, cancellationToken);
        await new Advisory.FollowUps.FollowUpRunner(db, clock).RunAsync(actor, cancellationToken);
        return new SweepReport(overdue, started, skipped);
    }

    private async Task<int> MarkOverdueAsync(LocalDate today, string actor, CancellationToken cancellationToken)
    {
        var marked = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var ids = await db.Tasks.AsNoTracking()
                .Where(t => (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress) && t.OverdueSince == null && t.DueOn < today)
                .OrderBy(t => t.DueOn)
                .Select(t => t.Id)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return marked;
            }

            try
            {
                db.Actor = actor;
                db.Operation = "mark-overdue";
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var tasks = await db.Tasks.Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
                var count = tasks.Count(t => t.MarkOverdue(today));
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                marked += count;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another sweep (or a person) changed some of these first; select again and carry on.
            }
        }
    }

    private async Task<(int Started, int Skipped)> StartPeriodicAsync(Ensemble.Practice.Firm firm, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var started = 0;
        var skipped = 0;
        foreach (var version in await TemplateVersions.AllLatestAsync(db, cancellationToken))
        {
            var template = await TemplateCache.GetAsync(db, version.Id, cancellationToken);
            var periodic = template.Triggers.OfType<PeriodicTrigger>().ToList();
            for (var index = 0; index < periodic.Count; index++)
            {
                var trigger = periodic[index];
                var cursorId = $"{template.Key}#{index}";
                db.ChangeTracker.Clear();
                var cursor = await db.PeriodicCursors.AsNoTracking().SingleOrDefaultAsync(c => c.TriggerId == cursorId, cancellationToken);

                // A trigger never swept looks back a year; its missed-run policy decides what of that still counts.
                var since = cursor?.LastSweptAt ?? now - Duration.FromDays(366);
                foreach (var occurrence in PeriodicSchedule.Due(trigger, firm.Calendar, firm.Zone, since, now))
                {
                    var (s, k) = await StartOccurrenceAsync(version, template, trigger, occurrence, actor, cancellationToken);
                    started += s;
                    skipped += k;
                }

                await SaveCursorAsync(cursorId, now, cancellationToken);
            }
        }

        return (started, skipped);
    }

    private async Task<(int Started, int Skipped)> StartOccurrenceAsync(
        TemplateVersion version, ProcessTemplate template, PeriodicTrigger trigger, Occurrence occurrence, string actor, CancellationToken cancellationToken)
    {
        var baseKey = $"periodic:{template.Key}:{occurrence.Key}";
        if (template.Scope == TemplateScope.Firm || trigger.Audience == PeriodicAudience.Firm)
        {
            var open = await OpenInstancesAsync(template.Key, null, cancellationToken);
            if (await IsDecidedAsync(baseKey, cancellationToken) || !await ResolveOverlapAsync(open, trigger.Overlap, baseKey, actor, cancellationToken))
            {
                return (0, open.Count > 0 ? 1 : 0);
            }

            var result = await new WorkService(db, clock).StartAsync(template.Key, null, new Dictionary<string, LocalDate>(), actor, baseKey, cancellationToken);
            return (result.IsSuccess ? 1 : 0, 0);
        }

        var clients = await db.Households.AsNoTracking()
            .Where(h => h.Stage == LifecycleStage.Client)
            .Select(h => h.Id)
            .ToListAsync(cancellationToken);
        var busy = trigger.Overlap == OverlapPolicy.Allow
            ? new HashSet<HouseholdId>()
            : (await db.Instances.AsNoTracking()
                .Where(i => i.TemplateKey == template.Key && i.Status == InstanceStatus.Running && i.HouseholdId != null)
                .Select(i => i.HouseholdId!.Value)
                .ToListAsync(cancellationToken)).ToHashSet();
        if (trigger.Overlap == OverlapPolicy.CancelPrevious)
        {
            foreach (var household in busy)
            {
                var open = await OpenInstancesAsync(template.Key, household, cancellationToken);
                await ResolveOverlapAsync(open, trigger.Overlap, baseKey, actor, cancellationToken);
            }

            busy.Clear();
        }

        var items = clients
            .Where(h => !busy.Contains(h))
            .Select(h => new BulkStartItem(h, new Dictionary<string, LocalDate>(), $"{baseKey}:{h}"))
            .ToList();
        var report = await new BulkStarter(db, clock).StartAsync(version.Id, items, actor, cancellationToken);
        return (report.Started, clients.Count - items.Count);
    }

    private Task<List<InstanceId>> OpenInstancesAsync(string templateKey, HouseholdId? householdId, CancellationToken cancellationToken) =>
        db.Instances.AsNoTracking()
            .Where(i => i.TemplateKey == templateKey && i.Status == InstanceStatus.Running && i.HouseholdId == householdId)
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);

    private async Task<bool> IsDecidedAsync(string key, CancellationToken cancellationToken) =>
        await db.Instances.AnyAsync(i => i.TriggerKey == key, cancellationToken)
        || await db.TriggerOccurrences.AnyAsync(o => o.Key == key, cancellationToken);

    /// <summary>Applies the overlap policy to open instances; false means this occurrence does not start.</summary>
    private async Task<bool> ResolveOverlapAsync(List<InstanceId> open, OverlapPolicy policy, string occurrenceKey, string actor, CancellationToken cancellationToken)
    {
        if (open.Count == 0 || policy == OverlapPolicy.Allow)
        {
            return true;
        }

        if (policy == OverlapPolicy.SkipWhileOpen)
        {
            try
            {
                db.ChangeTracker.Clear();
                db.TriggerOccurrences.Add(new TriggerOccurrence { Key = occurrenceKey, Outcome = "skipped: previous still open", RecordedAt = clock.GetCurrentInstant() });
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (Conflicts.IsUniqueViolation(ex))
            {
                // Another sweep recorded the same decision first.
            }

            return false;
        }

        var service = new WorkService(db, clock);
        foreach (var id in open)
        {
            await service.CancelAsync(id, actor, $"Superseded by the next scheduled run ({occurrenceKey}).", cancellationToken);
        }

        return true;
    }

    private async Task SaveCursorAsync(string cursorId, Instant now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var cursor = await db.PeriodicCursors.SingleOrDefaultAsync(c => c.TriggerId == cursorId, cancellationToken);
        if (cursor is null)
        {
            db.PeriodicCursors.Add(new PeriodicCursor { TriggerId = cursorId, LastSweptAt = now });
        }
        else if (cursor.LastSweptAt < now)
        {
            cursor.LastSweptAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (Conflicts.IsUniqueViolation(ex))
        {
            // Two sweeps created the cursor at once; either value is fine.
        }
    }
}
