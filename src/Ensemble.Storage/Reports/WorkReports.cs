using Ensemble.Processes.Running;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Reports;

/// <summary>Overdue open work for one role and one person; a null person is the role's unassigned queue.</summary>
public sealed record OverdueRow(string RoleKey, string? StaffHandle, string? StaffName, int Count, LocalDate OldestDueOn);

/// <summary>Open work waiting at one step of a template.</summary>
public sealed record StepBacklogRow(
    string TemplateKey, string TemplateName, string StepKey, string StepTitle, int Count, int OverdueCount, Instant OldestActivatedAt);

/// <summary>How long done work took at one step, from activation to completion.</summary>
public sealed record StepTimeRow(string TemplateKey, string StepKey, string StepTitle, int Count, Duration Median, Duration P90);

/// <summary>
/// Reports on the firm's work. Counting and grouping happen in the database, so the reports stay cheap
/// however many tasks the firm accumulates; only the percentiles need per-task values in memory.
/// </summary>
public sealed class WorkReports(EnsembleDb db)
{
    /// <summary>Open work due before <paramref name="today"/>, counted per role and assignee.</summary>
    public async Task<List<OverdueRow>> OverdueAsync(LocalDate today, CancellationToken cancellationToken = default)
    {
        var groups = Open()
            .Where(t => t.DueOn < today)
            .GroupBy(t => new { t.RoleKey, t.AssigneeId })
            .Select(g => new { g.Key.RoleKey, g.Key.AssigneeId, Count = g.Count(), Oldest = g.Min(t => t.DueOn) });
        var rows = await (from g in groups
                          join s in db.Staff on g.AssigneeId equals s.Id into ss
                          from s in ss.DefaultIfEmpty()
                          select new { g.RoleKey, Handle = s == null ? null : s.Handle, Name = s == null ? null : s.Name, g.Count, g.Oldest })
            .ToListAsync(cancellationToken);

        // The filter on DueOn means every group has an oldest date.
        return rows
            .Select(r => new OverdueRow(r.RoleKey, r.Handle, r.Name, r.Count, r.Oldest!.Value))
            .OrderBy(r => r.RoleKey, StringComparer.Ordinal)
            .ThenBy(r => r.StaffHandle is null)
            .ThenBy(r => r.StaffHandle, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Where open work piles up, largest pile first. Overdue means flagged by the sweep, so the report
    /// agrees with the overdue marks people see. A step retitled in a later template version shows as
    /// two rows, one per title, since running work keeps its version.
    /// </summary>
    public Task<List<StepBacklogRow>> OpenByStepAsync(CancellationToken cancellationToken = default) =>
        (from t in Open()
         join i in db.Instances on t.InstanceId equals i.Id
         group t by new { i.TemplateKey, i.TemplateName, t.StepKey, t.Title } into g
         orderby g.Count() descending, g.Key.TemplateKey, g.Key.StepKey, g.Key.Title
         select new StepBacklogRow(
             g.Key.TemplateKey, g.Key.TemplateName, g.Key.StepKey, g.Key.Title,
             g.Count(), g.Count(t => t.OverdueSince != null), g.Min(t => t.ActivatedAt)))
        .ToListAsync(cancellationToken);

    /// <summary>
    /// Time from activation to completion for work done at or after <paramref name="since"/>, per step.
    /// Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value at
    /// rank ⌈p·n⌉, always an observed duration (so the median of an even count is the lower middle).
    /// </summary>
    public async Task<List<StepTimeRow>> TimePerStepAsync(Instant since, CancellationToken cancellationToken = default)
    {
        var done = from t in db.Tasks.AsNoTracking()
                   where t.Status == WorkTaskStatus.Done && t.ClosedAt >= since
                   join i in db.Instances on t.InstanceId equals i.Id
                   select new { i.TemplateKey, t.StepKey, t.Title, t.ActivatedAt, t.ClosedAt };

        // Streamed, so only one duration per task is held rather than every row's strings.
        var durations = new Dictionary<(string TemplateKey, string StepKey, string Title), List<Duration>>();
        await foreach (var row in done.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var key = (row.TemplateKey, row.StepKey, row.Title);
            if (!durations.TryGetValue(key, out var list))
            {
                durations[key] = list = [];
            }

            list.Add(row.ClosedAt!.Value - row.ActivatedAt);
        }

        return durations
            .Select(kv =>
            {
                kv.Value.Sort();
                return new StepTimeRow(kv.Key.TemplateKey, kv.Key.StepKey, kv.Key.Title, kv.Value.Count, NearestRank(kv.Value, 50), NearestRank(kv.Value, 90));
            })
            .OrderBy(r => r.TemplateKey, StringComparer.Ordinal)
            .ThenBy(r => r.StepKey, StringComparer.Ordinal)
            .ThenBy(r => r.StepTitle, StringComparer.Ordinal)
            .ToList();
    }

    internal static Duration NearestRank(List<Duration> sorted, int percentile)
    {
        // ⌈p·n/100⌉ in integers, so no rounding error can move the rank.
        var rank = ((percentile * sorted.Count) + 99) / 100;
        return sorted[Math.Max(rank, 1) - 1];
    }

    private IQueryable<WorkTask> Open() =>
        db.Tasks.AsNoTracking().Where(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress);
}
