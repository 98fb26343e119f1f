using System.Collections.Concurrent;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>A task as a work list shows it.</summary>
public sealed record TaskView(
    TaskId Id,
    InstanceId InstanceId,
    string Process,
    string Title,
    string Role,
    WorkTaskStatus Status,
    LocalDate? DueOn,
    LocalDate? OverdueSince,
    string? HouseholdKey,
    string? HouseholdName,
    string? Assignee,
    string RoutingNote);

/// <summary>
/// Work lists. Each reads open tasks through a partial index (open rows only), so the lists stay fast
/// however much finished work the firm accumulates.
/// </summary>
public sealed class TaskViews(EnsembleDb db)
{
    public const int DefaultLimit = 200;

    /// <summary>A person's open work, soonest due first.</summary>
    public Task<List<TaskView>> ForStaffAsync(StaffId staffId, int limit = DefaultLimit, CancellationToken cancellationToken = default) =>
        ReadAsync(CompiledFor(db).StaffPage(CompiledReads.PageSizeFor(limit), staffId)(db), limit, cancellationToken);

    /// <summary>Open work for a role, including tasks waiting in its queue with no one assigned.</summary>
    public Task<List<TaskView>> ForRoleAsync(string roleKey, int limit = DefaultLimit, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default) =>
        Project(Within(Open().Where(t => t.RoleKey == roleKey), withinHouseholds).OrderBy(t => t.DueOn).ThenBy(t => t.Id), limit, cancellationToken);

    /// <summary>Open work past its due date; <paramref name="withinHouseholds"/> narrows it to the households a person may see.</summary>
    public Task<List<TaskView>> OverdueAsync(LocalDate today, int limit = DefaultLimit, IReadOnlyCollection<long>? withinHouseholds = null, CancellationToken cancellationToken = default) =>
        Project(Within(Open().Where(t => t.DueOn < today), withinHouseholds).OrderBy(t => t.DueOn).ThenBy(t => t.Id), limit, cancellationToken);

    private static IQueryable<WorkTask> Within(IQueryable<WorkTask> tasks, IReadOnlyCollection<long>? households)
    {
        if (households is null)
        {
            return tasks;
        }

        // Nullable ids, matching the column's converter: Npgsql binds the list as an array of that type.
        var ids = households.Select(h => (HouseholdId?)new HouseholdId(h)).ToList();
        return tasks.Where(t => ids.Contains(t.HouseholdId));
    }

    public Task<List<TaskView>> ForHouseholdAsync(HouseholdId householdId, bool includeClosed, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        var query = db.Tasks.AsNoTracking().Where(t => t.HouseholdId == householdId);
        if (!includeClosed)
        {
            query = query.Where(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress);
        }

        return Project(query.OrderBy(t => t.DueOn).ThenBy(t => t.Id), limit, cancellationToken);
    }

    /// <summary>Every task of one process, soonest due first, as the other lists.</summary>
    public Task<List<TaskView>> ForInstanceAsync(InstanceId instanceId, CancellationToken cancellationToken = default) =>
        ReadAsync(CompiledFor(db).Instance(db, instanceId), 32, cancellationToken);

    public async Task<TaskView?> FindAsync(TaskId id, CancellationToken cancellationToken = default) =>
        (await ReadAsync(CompiledFor(db).One(db, id), 1, cancellationToken)).FirstOrDefault();

    private IQueryable<WorkTask> Open() =>
        db.Tasks.AsNoTracking().Where(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress);

    // The page is chosen (ordered and limited) on tasks alone, through the partial indexes; the joins then only
    // decorate those rows, and since a join may reorder them the page is put back in order in memory.
    private async Task<List<TaskView>> Project(IQueryable<WorkTask> tasks, int limit, CancellationToken cancellationToken)
    {
        var rows = await (from t in tasks.Take(limit)
         join i in db.Instances on t.InstanceId equals i.Id
         join h in db.Households on t.HouseholdId equals h.Id into hs
         from h in hs.DefaultIfEmpty()
         join s in db.Staff on t.AssigneeId equals s.Id into ss
         from s in ss.DefaultIfEmpty()
         select new TaskView(
             t.Id, t.InstanceId, i.TemplateName, t.Title, t.RoleKey, t.Status, t.DueOn, t.OverdueSince,
             h == null ? null : h.Key, h == null ? null : h.Name, s == null ? null : s.Handle, t.RoutingNote))
            .ToListAsync(cancellationToken);
        return InOrder(rows);
    }

    private static async Task<List<TaskView>> ReadAsync(IAsyncEnumerable<TaskView> query, int limit, CancellationToken cancellationToken)
    {
        // A query may be compiled for a larger page than asked for (its rows come in page order): the rest is left unread.
        var rows = new List<TaskView>(Math.Clamp(limit, 0, 256));
        await foreach (var row in query.WithCancellation(cancellationToken))
        {
            if (rows.Count == limit)
            {
                break;
            }

            rows.Add(row);
        }

        return InOrder(rows);
    }

    // Soonest due first, undated last; the id breaks ties, so the order is total.
    private static List<TaskView> InOrder(List<TaskView> rows)
    {
        rows.Sort(static (a, b) =>
        {
            var due = (a.DueOn ?? LocalDate.MaxIsoValue).CompareTo(b.DueOn ?? LocalDate.MaxIsoValue);
            return due != 0 ? due : a.Id.Value.CompareTo(b.Id.Value);
        });
        return rows;
    }

    // The hottest reads (a person's page of work, one task after a transition) are compiled once: translating the
    // LINQ on every request cost more CPU than running the SQL. A compiled query belongs to one model, so there is
    // one set per model (SQLite and PostgreSQL each have theirs).
    private static readonly CompiledPerModel<CompiledReads> Compiled = new(() => new CompiledReads());

    private static CompiledReads CompiledFor(EnsembleDb db) => Compiled.For(db);

    /// <summary>
    /// The same queries <see cref="Project"/> builds for <see cref="ForStaffAsync"/> and <see cref="FindAsync"/>, written out
    /// whole so EF Core can compile them: the page is chosen on tasks alone (the partial index), then decorated.
    /// </summary>
    private sealed class CompiledReads
    {
        // One compiled page per page size and person, so both are written into the SQL (a compiled query takes what it
        // captures as a constant). PostgreSQL plans a prepared statement with parameters afresh for each execution
        // while plans for particular values look cheaper than one plan for any value, as they do for people with few
        // open tasks; planning the joins then took three times as long as running them. A statement without
        // parameters is planned once per connection. As a parameter, the limit also misled the plan for any value:
        // it guessed a tenth of the person's open tasks and joined every process by hash.
        private static readonly int[] PageSizes = [50, 100, 200, 300, 500];

        /// <summary>
        /// The page size compiled for <paramref name="limit"/>: one of a few, so that a caller choosing every limit in
        /// turn cannot make a query per limit and person. Beyond the largest, a multiple of it.
        /// </summary>
        public static int PageSizeFor(int limit)
        {
            foreach (var size in PageSizes)
            {
                if (size >= limit)
                {
                    return size;
                }
            }

            var largest = PageSizes[^1];
            return (int)Math.Min(int.MaxValue, ((long)limit + largest - 1) / largest * largest);
        }

        private readonly ConcurrentDictionary<(int Size, StaffId Staff), Func<EnsembleDb, IAsyncEnumerable<TaskView>>> _staffPages = new();

        public Func<EnsembleDb, IAsyncEnumerable<TaskView>> StaffPage(int size, StaffId staffId) => _staffPages.GetOrAdd((size, staffId), static page => EF.CompileAsyncQuery(
            (EnsembleDb db) =>
                from t in db.Tasks.AsNoTracking()
                    .Where(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress)
                    .Where(t => t.AssigneeId == page.Staff)
                    .OrderBy(t => t.DueOn).ThenBy(t => t.Id)
                    .Take(page.Size)
                join i in db.Instances on t.InstanceId equals i.Id
                join h in db.Households on t.HouseholdId equals h.Id into hs
                from h in hs.DefaultIfEmpty()
                join s in db.Staff on t.AssigneeId equals s.Id into ss
                from s in ss.DefaultIfEmpty()
                select new TaskView(
                    t.Id, t.InstanceId, i.TemplateName, t.Title, t.RoleKey, t.Status, t.DueOn, t.OverdueSince,
                    h == null ? null : h.Key, h == null ? null : h.Name, s == null ? null : s.Handle, t.RoutingNote)));

        // A transition's answer shows the task and the ones it activated, all of one process: one read for them all.
        public readonly Func<EnsembleDb, InstanceId, IAsyncEnumerable<TaskView>> Instance = EF.CompileAsyncQuery(
            (EnsembleDb db, InstanceId instanceId) =>
                from t in db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId)
                join i in db.Instances on t.InstanceId equals i.Id
                join h in db.Households on t.HouseholdId equals h.Id into hs
                from h in hs.DefaultIfEmpty()
                join s in db.Staff on t.AssigneeId equals s.Id into ss
                from s in ss.DefaultIfEmpty()
                select new TaskView(
                    t.Id, t.InstanceId, i.TemplateName, t.Title, t.RoleKey, t.Status, t.DueOn, t.OverdueSince,
                    h == null ? null : h.Key, h == null ? null : h.Name, s == null ? null : s.Handle, t.RoutingNote));

        public readonly Func<EnsembleDb, TaskId, IAsyncEnumerable<TaskView>> One = EF.CompileAsyncQuery(
            (EnsembleDb db, TaskId id) =>
                from t in db.Tasks.AsNoTracking().Where(t => t.Id == id).Take(1)
                join i in db.Instances on t.InstanceId equals i.Id
                join h in db.Households on t.HouseholdId equals h.Id into hs
                from h in hs.DefaultIfEmpty()
                join s in db.Staff on t.AssigneeId equals s.Id into ss
                from s in ss.DefaultIfEmpty()
                select new TaskView(
                    t.Id, t.InstanceId, i.TemplateName, t.Title, t.RoleKey, t.Status, t.DueOn, t.OverdueSince,
                    h == null ? null : h.Key, h == null ? null : h.Name, s == null ? null : s.Handle, t.RoutingNote));
    }
}
