using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Work;

/// <summary>
/// Starts processes and moves tasks, each operation one transaction: load the instance, let the
/// engine decide, start any follow-on processes its events trigger, save, audit, commit. A
/// transition that loses a race with another on the same instance is retried on fresh state.
/// </summary>
public sealed class WorkService(EnsembleDb db, IClock clock)
{
    private const int Attempts = 4;

    // One round trip, through primary keys, for all a transition reads: the instance that owns the task with all its tasks,
    // its household's name (for the answer), the directory stamp (is the firm snapshot current?) and the household's team
    // stamp (is the team this process holds current?).
    // Every transition starts here, so it is compiled rather than translated each time.
    private static readonly CompiledPerModel<Func<EnsembleDb, TaskId, CancellationToken, Task<LoadedInstance?>>> InstanceOfTask = new(() => EF.CompileAsyncQuery(
        (EnsembleDb db, TaskId taskId, CancellationToken _) =>
            (from i in db.Instances.Include(i => i.Tasks)
             where i.Id == db.Tasks.Where(t => t.Id == taskId).Select(t => t.InstanceId).FirstOrDefault()
             join h in db.Households on i.HouseholdId equals h.Id into hs
             from h in hs.DefaultIfEmpty()
             select new LoadedInstance(
                 i, h == null ? null : h.Key, h == null ? null : h.Name,
                 db.DirectoryStamp.Where(s => s.Id == 1).Select(s => (long?)s.Stamp).FirstOrDefault(),
                 db.TeamStamps.Where(s => (HouseholdId?)s.HouseholdId == i.HouseholdId).Select(s => (long?)s.Stamp).FirstOrDefault()))
            .SingleOrDefault()));

    private readonly ProcessEngine _engine = new(clock);
    private FirmSnapshot? _directory;
    private LoadedInstance? _loaded;
    private readonly Dictionary<TemplateVersionId, ProcessTemplate> _templates = [];

    public Task<Result<Transition>> StartAsync(
        string templateKey, HouseholdId? householdId, IReadOnlyDictionary<string, LocalDate> anchors, string actor,
        string? triggerKey = null, CancellationToken cancellationToken = default) =>
        StartAsync(templateKey, householdId, anchors, actor, triggerKey, null, cancellationToken);

    /// <param name="standIns">Roles that do another role's steps in this run only (template role → acting role); null: none.</param>
    public async Task<Result<Transition>> StartAsync(
        string templateKey, HouseholdId? householdId, IReadOnlyDictionary<string, LocalDate> anchors, string actor,
        string? triggerKey, IReadOnlyDictionary<string, string>? standIns, CancellationToken cancellationToken = default)
    {
        // The firm and staff are read before queueing for SQLite's single writer, so concurrent starts read them side
        // by side rather than one after another inside the gate. (A transition reads their stamp with its process.)
        await DirectoryAsync(cancellationToken);
        return await InTransactionAsync("start-process", actor, async () =>
        {
            var version = await TemplateVersions.LatestAsync(db, templateKey, cancellationToken);
            if (version is null)
            {
                return Error.NotFound($"There is no template called \"{templateKey}\"; `ensemble templates list` shows them.");
            }

            if (triggerKey is not null && await db.Instances.AnyAsync(i => i.TriggerKey == triggerKey, cancellationToken))
            {
                return Error.Conflict($"{version.Name} was already started for {triggerKey}.");
            }

            if (householdId is { } hh && !await db.Households.AnyAsync(h => h.Id == hh, cancellationToken))
            {
                return Error.NotFound($"Household {hh} does not exist.");
            }

            return await StartTrackedAsync(version.Id, householdId, anchors, actor, triggerKey, standIns, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Completes a task as the firm's own operator (the CLI, imports, tests): nobody's access is checked.</summary>
    public Task<Result<Transition>> CompleteAsync(TaskId taskId, string actor, string? note = null, CancellationToken cancellationToken = default) =>
        TransitionAsync("complete-task", taskId, actor, check: null, (instance, template, task, context) =>
            _engine.Complete(instance, template, task, actor, note, context), cancellationToken);

    /// <summary>Completes a task for a signed-in caller, who must pass <paramref name="check"/> on the task as loaded.</summary>
    public Task<Result<Transition>> CompleteAsync(TaskId taskId, TaskCheck check, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var actor = check.Caller.Handle;
        return TransitionAsync("complete-task", taskId, actor, check, (instance, template, task, context) =>
            _engine.Complete(instance, template, task, actor, note, context), cancellationToken);
    }

    /// <summary>Skips a task as the firm's own operator: nobody's access is checked.</summary>
    public Task<Result<Transition>> SkipAsync(TaskId taskId, string actor, string reason, CancellationToken cancellationToken = default) =>
        TransitionAsync("skip-task", taskId, actor, check: null, (instance, template, task, context) =>
            _engine.Skip(instance, template, task, actor, reason, context), cancellationToken);

    /// <summary>Skips a task for a signed-in caller, who must pass <paramref name="check"/> on the task as loaded.</summary>
    public Task<Result<Transition>> SkipAsync(TaskId taskId, TaskCheck check, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var actor = check.Caller.Handle;
        return TransitionAsync("skip-task", taskId, actor, check, (instance, template, task, context) =>
            _engine.Skip(instance, template, task, actor, reason, context), cancellationToken);
    }

    /// <summary>Marks a task as being worked on, so colleagues see it is in hand.</summary>
    public Task<Result<WorkTask>> BeginAsync(TaskId taskId, string actor, CancellationToken cancellationToken = default) =>
        BeginAsync(taskId, actor, check: null, cancellationToken);

    /// <summary>Marks a task as being worked on for a signed-in caller, who must pass <paramref name="check"/> on it.</summary>
    public Task<Result<WorkTask>> BeginAsync(TaskId taskId, TaskCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        return BeginAsync(taskId, check.Caller.Handle, check, cancellationToken);
    }

    private Task<Result<WorkTask>> BeginAsync(TaskId taskId, string actor, TaskCheck? check, CancellationToken cancellationToken) =>
        InTransactionAsync("begin-task", actor, async () =>
        {
            var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
            if (task is null)
            {
                return Error.NotFound($"There is no task {taskId}.");
            }

            if (check is not null)
            {
                var householdTeam = check.NeedsTeam(task) && task.HouseholdId is { } household
                    ? await HouseholdTeams.AtAsync(db, household, stamp: null, cancellationToken)
                    : [];
                if (check.Refusal(task, householdTeam) is { } refused)
                {
                    return refused;
                }
            }

            return task.Start(clock.GetCurrentInstant());
        }, cancellationToken);

    public Task<Result<ProcessInstance>> CancelAsync(InstanceId instanceId, string actor, string reason, CancellationToken cancellationToken = default) =>
        InTransactionAsync("cancel-process", actor, async () =>
        {
            var instance = await db.Instances.Include(i => i.Tasks).SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
            if (instance is null)
            {
                return Error.NotFound($"There is no process {instanceId}.");
            }

            var result = _engine.Cancel(instance, actor, reason);
            return result.IsSuccess ? result.Value.Instance : (Result<ProcessInstance>)result.Error!;
        }, cancellationToken);

    /// <param name="check">What the caller must pass on the task as loaded, before anything moves; null: not checked.</param>
    private Task<Result<Transition>> TransitionAsync(
        string operation, TaskId taskId, string actor, TaskCheck? check,
        Func<ProcessInstance, ProcessTemplate, WorkTask, WorkContext, Result<Transition>> step, CancellationToken cancellationToken) =>
        InTransactionAsync(operation, actor, decide: async () =>
        {
            var loaded = await InstanceOfTask.For(db)(db, taskId, cancellationToken);
            if (loaded is null)
            {
                return Error.NotFound($"There is no task {taskId}; `ensemble tasks mine` lists yours.");
            }

            _loaded = loaded;
            _directory = await FirmSnapshot.AtAsync(db, loaded.DirectoryStamp, _directory, cancellationToken);
            var instance = loaded.Instance;
            var task = instance.Tasks.Single(t => t.Id == taskId);
            IReadOnlyList<Ensemble.Practice.TeamAssignment> householdTeam = instance.HouseholdId is { } household
                ? await HouseholdTeams.AtAsync(db, household, loaded.TeamStamp, cancellationToken)
                : [];

            // The team that routes the next tasks also decides the caller's access: one read serves both.
            if (check?.Refusal(task, householdTeam) is { } refused)
            {
                return refused;
            }

            var template = await TemplateAsync(instance.TemplateVersionId, cancellationToken);
            var team = instance.HouseholdId is null ? _directory.FirmTeam : [.. _directory.FirmTeam, .. householdTeam];
            var context = await ContextAsync(_directory.Firm, instance.HouseholdId, template, team, cancellationToken);
            return step(instance, template, task, context);
        }, then: transition => transition.Events.Count == 0 ? null : () => FollowOnAsync(transition.Events, actor, cancellationToken), cancellationToken);

    /// <summary>
    /// A task of the process this service has just moved, as the work lists show it. It is built from what the
    /// transition already read, so answering a transition costs no further query.
    /// </summary>
    public TaskView ViewOf(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_loaded is not { } loaded || _directory is null || !loaded.Instance.Tasks.Contains(task))
        {
            throw new InvalidOperationException($"Task {task.Id} is not part of the process this service last moved.");
        }

        var assignee = task.AssigneeId is { } id && _directory.Staff.TryGetValue(id, out var staff) ? staff.Handle : null;
        return new TaskView(
            task.Id, loaded.Instance.Id, loaded.Instance.TemplateName, task.Title, task.RoleKey, task.Status, task.DueOn, task.OverdueSince,
            loaded.HouseholdKey, loaded.HouseholdName, assignee, task.RoutingNote);
    }

    private async Task<Result<Transition>> StartTrackedAsync(
        TemplateVersionId versionId, HouseholdId? householdId, IReadOnlyDictionary<string, LocalDate> anchors, string actor,
        string? triggerKey, IReadOnlyDictionary<string, string>? standIns, CancellationToken cancellationToken)
    {
        var template = await TemplateAsync(versionId, cancellationToken);
        var firm = await FirmAsync(cancellationToken);
        var context = await ContextAsync(firm, householdId, template, team: null, cancellationToken);
        var result = _engine.Start(template, versionId, new StartRequest(householdId, anchors, actor, triggerKey, standIns), context);
        if (!result.IsSuccess)
        {
            return result;
        }

        var instance = result.Value.Instance;
        db.Instances.Add(instance);
        var events = result.Value.Events;
        if (events.Count > 0)
        {
            // Finished as it started (every step's condition failed): its completion event is named after the
            // instance id, which only the database can give, so save first.
            await db.SaveChangesAsync(cancellationToken);
            events = events.Select(e => e.Kind == EventKind.ProcessCompleted ? e with { Key = $"completed:{instance.TemplateKey}:{instance.Id}" } : e).ToList();
        }

        await FollowOnAsync(events, actor, cancellationToken);
        return result;
    }

    /// <summary>Starts the processes that events trigger (e.g. fact finding after the introduction), in the same transaction.</summary>
    public async Task FollowOnAsync(IReadOnlyList<DomainEvent> events, string actor, CancellationToken cancellationToken)
    {
        var pending = new Queue<DomainEvent>(events);

        // An import can raise thousands of events of a few kinds: look each kind's listeners up once.
        var listeners = new Dictionary<(EventKind, string?), List<(TemplateVersionId, ProcessTemplate)>>();
        while (pending.TryDequeue(out var e))
        {
            if (!listeners.TryGetValue((e.Kind, e.TemplateKey), out var subscribers))
            {
                subscribers = await TemplateVersions.SubscribersAsync(db, e, cancellationToken);
                listeners[(e.Kind, e.TemplateKey)] = subscribers;
            }

            foreach (var (version, template) in subscribers)
            {
                var key = $"{e.Key}->{template.Key}";
                if (await db.Instances.AnyAsync(i => i.TriggerKey == key, cancellationToken)
                    || db.Instances.Local.Any(i => i.TriggerKey == key))
                {
                    continue;
                }

                var anchors = new Dictionary<string, LocalDate>();
                if (template.Anchors.Count > 0)
                {
                    // A follow-on that needs dates (a meeting) cannot be dated automatically; it waits to be started by hand.
                    continue;
                }

                var started = await StartTrackedAsync(version, template.Scope == TemplateScope.Firm ? null : e.HouseholdId, anchors, actor, key, null, cancellationToken);
                if (started.IsSuccess)
                {
                    foreach (var next in started.Value.Events)
                    {
                        pending.Enqueue(next);
                    }
                }
            }
        }
    }

    // The firm's calendar and zone and its staff are taken once per service: a service lives for one command or
    // request. The snapshot itself is shared across requests until the firm or a staff member changes.
    private async Task<FirmSnapshot> DirectoryAsync(CancellationToken cancellationToken) =>
        _directory ??= await FirmSnapshot.CurrentAsync(db, cancellationToken);

    private async Task<Ensemble.Practice.Firm> FirmAsync(CancellationToken cancellationToken) =>
        (await DirectoryAsync(cancellationToken)).Firm;

    // Versions are immutable, so a version once read serves the rest of the service's life without asking again.
    private async Task<ProcessTemplate> TemplateAsync(TemplateVersionId id, CancellationToken cancellationToken)
    {
        if (!_templates.TryGetValue(id, out var template))
        {
            template = await TemplateCache.GetAsync(db, id, cancellationToken);
            _templates[id] = template;
        }

        return template;
    }

    /// <param name="team">The firm's and the household's role holders when the caller holds them; null: read here.</param>
    private async Task<WorkContext> ContextAsync(
        Ensemble.Practice.Firm firm, HouseholdId? householdId, ProcessTemplate template, IReadOnlyList<Ensemble.Practice.TeamAssignment>? team,
        CancellationToken cancellationToken)
    {
        var staff = (await DirectoryAsync(cancellationToken)).Staff;
        return await WorkContextLoader.LoadAsync(db, firm, householdId, WorkContextLoader.NeedsFacts(template), firm.Today(clock), staff, team, cancellationToken);
    }

    private Task<Result<T>> InTransactionAsync<T>(string operation, string actor, Func<Task<Result<T>>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(operation, actor, work, then: null, cancellationToken);

    /// <param name="decide">Reads what the change needs and makes it on tracked entities. When <paramref name="then"/> is
    /// given, it must not write to the database: it then runs before the change queues for its commit, outside any transaction.</param>
    /// <param name="then">Given a successful decision, the work that must see the transaction (it reads and writes), or
    /// null when there is none for that decision.</param>
    private async Task<Result<T>> InTransactionAsync<T>(
        string operation, string actor, Func<Task<Result<T>>> decide, Func<T, Func<Task>?>? then, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            db.Actor = actor;
            db.Operation = operation;

            // With a decision that only reads, the change is decided before it queues for its commit group, so the group
            // holds its transaction only for the saves. The rows' version columns make a save fail if another change
            // reached them since they were read, and the loop then decides again.
            var decidedFirst = then is not null;
            var decided = decidedFirst ? await decide() : default;
            if (decidedFirst && !decided.IsSuccess)
            {
                return decided;
            }

            // A failed save rolls this change back and runs it again, so EF Core's savepoint around each save would
            // buy nothing and cost two statements per transition.
            db.Database.AutoSavepointsEnabled = false;
            db.SavesDirectly = true;
            var result = decided;
            var followUp = decidedFirst ? then!(decided.Value) : null;
            try
            {
                // A decided change with nothing to follow it is prepared here and only sent by its commit group (on
                // PostgreSQL in one batch with every other queued change).
                if (decidedFirst && followUp is null && await CommitGroup.SaveDecidedAsync(db, cancellationToken) is not null)
                {
                    return result;
                }

                // The change may share its transaction and commit with other writers of this process (CommitGroup).
                await CommitGroup.RunAsync(db, async () =>
                {
                    result = decidedFirst ? decided : await decide();
                    if (!result.IsSuccess)
                    {
                        return false;
                    }

                    if (followUp is not null)
                    {
                        await followUp();
                    }

                    await db.SaveChangesAsync(cancellationToken);
                    return true;
                }, decided: decidedFirst, cancellationToken);
                return result;
            }
            catch (DbUpdateException ex) when (attempt < Attempts && Conflicts.IsRetryable(ex))
            {
                // Decided on rows another change has since reached: decide again.
            }
            finally
            {
                db.Operation = null;
                db.Database.AutoSavepointsEnabled = true;
                db.SavesDirectly = false;
            }
        }
    }

    private sealed record LoadedInstance(ProcessInstance Instance, string? HouseholdKey, string? HouseholdName, long? DirectoryStamp, long? TeamStamp);
}
