using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.Processes.Running;

/// <summary>
/// Runs processes: starts instances, turns steps into tasks when what they wait for is finished,
/// dates them on the firm's business calendar and routes them through the household's team.
/// Pure: it changes the aggregates it is given and reports what changed; storage persists it.
/// </summary>
public sealed class ProcessEngine(IClock clock)
{
    public Result<Transition> Start(ProcessTemplate template, TemplateVersionId versionId, StartRequest request, WorkContext context)
    {
        if (template.Scope == TemplateScope.Household && request.HouseholdId is null)
        {
            return Error.Invalid($"{template.Name} runs for a household; name the household to start it for.");
        }

        if (template.Scope == TemplateScope.Firm && request.HouseholdId is not null)
        {
            return Error.Invalid($"{template.Name} is firm-level work; start it for the firm, not for a household.");
        }

        var missing = template.Anchors.Where(a => !request.Anchors.ContainsKey(a)).ToList();
        if (missing.Count > 0)
        {
            return Error.Invalid($"{template.Name} needs the date{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} (e.g. --anchor {missing[0]}=2026-12-03).");
        }

        var unknown = request.Anchors.Keys.Where(a => !template.Anchors.Contains(a)).ToList();
        if (unknown.Count > 0)
        {
            return Error.Invalid($"{template.Name} has no date called {string.Join(", ", unknown)}; it uses: {(template.Anchors.Count == 0 ? "none" : string.Join(", ", template.Anchors))}.");
        }

        var now = clock.GetCurrentInstant();
        var instance = new ProcessInstance(
            versionId, template.Key, template.Name, request.HouseholdId, request.Anchors,
            request.Actor, now, now.InZone(context.Zone).Date, request.TriggerKey, request.StandIns);
        var activated = new List<WorkTask>();
        var events = new List<DomainEvent>();
        Activate(instance, template, template.EntrySteps, context, now, activated);
        FinishIfDone(instance, template, now, events);
        return new Transition(instance, activated, events);
    }

    public Result<Transition> Complete(ProcessInstance instance, ProcessTemplate template, WorkTask task, string actor, string? note, WorkContext context)
    {
        if (!instance.Tasks.Contains(task))
        {
            return Error.NotFound($"Task {task.Id} is not part of {instance.TemplateName} #{instance.Id}.");
        }

        var now = clock.GetCurrentInstant();
        var result = task.Complete(actor, now, note);
        return result.IsSuccess ? Advance(instance, template, task, context, now) : result.Error!;
    }

    public Result<Transition> Skip(ProcessInstance instance, ProcessTemplate template, WorkTask task, string actor, string reason, WorkContext context)
    {
        if (!instance.Tasks.Contains(task))
        {
            return Error.NotFound($"Task {task.Id} is not part of {instance.TemplateName} #{instance.Id}.");
        }

        var skippable = template.FindStep(task.StepKey)?.Skippable ?? false;
        var now = clock.GetCurrentInstant();
        var result = task.Skip(actor, now, reason, skippable);
        return result.IsSuccess ? Advance(instance, template, task, context, now) : result.Error!;
    }

    /// <summary>Stops an instance: its open tasks are cancelled with the reason.</summary>
    public Result<Transition> Cancel(ProcessInstance instance, string actor, string reason)
    {
        if (instance.Status != InstanceStatus.Running)
        {
            return Error.Conflict($"{instance.TemplateName} #{instance.Id} is already {instance.Status.ToString().ToLowerInvariant()}.");
        }

        var now = clock.GetCurrentInstant();
        foreach (var task in instance.Tasks.Where(t => t.IsOpen))
        {
            task.Cancel(actor, now, reason);
        }

        instance.MarkCancelled(now);
        return new Transition(instance, [], []);
    }

    /// <summary>Routes an open task again (after a reassignment or an absence); returns true when its assignee changed.</summary>
    public static bool Reroute(WorkTask task, WorkContext context, LocalDate today)
    {
        if (!task.IsOpen)
        {
            return false;
        }

        var decision = WorkRouter.Route(task.RoleKey, task.HouseholdId, task.DueOn ?? today, context.Assignments, context.Staff);
        if (decision.StaffId == task.AssigneeId)
        {
            return false;
        }

        task.Route(decision);
        return true;
    }

    private static Transition Advance(ProcessInstance instance, ProcessTemplate template, WorkTask finished, WorkContext context, Instant now)
    {
        var activated = new List<WorkTask>();
        var events = new List<DomainEvent>();
        instance.Touch();
        Activate(instance, template, template.Dependents(finished.StepKey), context, now, activated);
        FinishIfDone(instance, template, now, events);
        return new Transition(instance, activated, events);
    }

    // A worklist rather than recursion: a step skipped for its condition releases its dependents at once,
    // and chains of such steps can be long.
    private static void Activate(ProcessInstance instance, ProcessTemplate template, IEnumerable<StepDefinition> candidates, WorkContext context, Instant now, List<WorkTask> activated)
    {
        var pending = new Queue<StepDefinition>(candidates);
        var today = now.InZone(context.Zone).Date;
        while (pending.TryDequeue(out var step))
        {
            if (instance.TaskFor(step.Key) is not null || !step.After.All(k => instance.TaskFor(k)?.IsFinished == true))
            {
                continue;
            }

            if (step.Condition is { } condition && !condition.IsMetBy(context.Facts))
            {
                var skipped = instance.AddTask(step.Key, step.Title, instance.ActingRole(step.Key, step.Role), step.EstimatedMinutes, null, now);
                skipped.SkipAsNotApplicable(now, $"Not needed: the condition \"{condition.Text}\" does not hold for this household.");
                foreach (var next in template.Dependents(step.Key))
                {
                    pending.Enqueue(next);
                }

                continue;
            }

            var dueOn = step.Due is null ? (LocalDate?)null : DueDates.Compute(step.Due, DueContextFor(instance, context.Zone), context.Calendar);
            var role = instance.ActingRole(step.Key, step.Role);
            var task = instance.AddTask(step.Key, step.Title, role, step.EstimatedMinutes, dueOn, now);
            task.Route(WorkRouter.Route(role, instance.HouseholdId, dueOn ?? today, context.Assignments, context.Staff));
            activated.Add(task);
        }
    }

    private static DueContext DueContextFor(ProcessInstance instance, DateTimeZone zone)
    {
        var completed = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        foreach (var task in instance.Tasks)
        {
            if (task.IsFinished && task.ClosedOn(zone) is { } on)
            {
                completed[task.StepKey] = on;
            }
        }

        return new DueContext(instance.StartedOn, instance.Anchors, completed);
    }

    private static void FinishIfDone(ProcessInstance instance, ProcessTemplate template, Instant now, List<DomainEvent> events)
    {
        if (instance.Status != InstanceStatus.Running || !template.Steps.All(s => instance.TaskFor(s.Key)?.IsFinished == true))
        {
            return;
        }

        instance.MarkCompleted(now);
        events.Add(new DomainEvent(EventKind.ProcessCompleted, instance.HouseholdId, instance.TemplateKey, $"completed:{instance.TemplateKey}:{instance.Id}"));
    }
}
