using System.CommandLine;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Storage.Households;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>Starting processes and working tasks: start, tasks, begin, complete, skip, process, sweep.</summary>
internal static class WorkCommands
{
    public static Command Start()
    {
        var template = new Argument<string>("template") { Description = "Template key, e.g. review-meeting." };
        var household = new Option<string?>("--household") { Description = "Household key the process is for." };
        var firm = new Option<bool>("--firm") { Description = "Start firm-level work (practice management)." };
        var anchors = new Option<string[]>("--anchor") { Description = "A date the process counts from, e.g. meeting=2026-12-03 (repeatable).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("start", "Start a process from a template for a household or the firm.") { template, household, firm, anchors };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var key = parse.GetValue(household);
            if (key is null == !parse.GetValue(firm))
            {
                return Output.Fail("Name either --household KEY or --firm.");
            }

            HouseholdId? householdId = null;
            if (key is not null)
            {
                householdId = await db.Households.AsNoTracking().Where(h => h.Key == key).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
                if (householdId is null)
                {
                    return Output.Fail(Error.NotFound($"There is no household {key}; `ensemble households list` shows them."));
                }
            }

            var dates = Parsing.Anchors(parse.GetValue(anchors) ?? []);
            if (!dates.IsSuccess)
            {
                return Output.Fail(dates.Error!);
            }

            var result = await new WorkService(db, session.Clock).StartAsync(parse.GetValue(template)!, householdId, dates.Value, session.Actor, null, cancellationToken);
            return await ReportTransitionAsync(db, session, result, $"Started", cancellationToken);
        });
        return command;
    }

    public static Command Tasks()
    {
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => TaskViews.DefaultLimit, Description = "At most this many tasks." };

        var mine = new Command("mine", "Your open tasks, soonest due first (who you are: --as or ENSEMBLE_USER).") { limit };
        Runner.WithFirm(mine, async (parse, session, db, cancellationToken) =>
        {
            var me = await new StaffDirectory(db, session.Clock).FindAsync(session.Actor, cancellationToken);
            if (me is null)
            {
                return Output.Fail(Error.NotFound($"\"{session.Actor}\" is not a staff handle; say who you are with --as HANDLE (or set ENSEMBLE_USER)."));
            }

            var today = await TodayAsync(db, session, cancellationToken);
            Output.Tasks(await new TaskViews(db).ForStaffAsync(me.Id, parse.GetValue(limit), cancellationToken), today, $"{me.Name} has no open tasks.");
            return Output.Ok;
        });

        var role = new Argument<string>("role") { Description = "Role key." };
        var byRole = new Command("role", "Open tasks for a role, including its unassigned queue.") { role, limit };
        Runner.WithFirm(byRole, async (parse, session, db, cancellationToken) =>
        {
            var today = await TodayAsync(db, session, cancellationToken);
            Output.Tasks(await new TaskViews(db).ForRoleAsync(parse.GetValue(role)!, parse.GetValue(limit), cancellationToken: cancellationToken), today, "No open tasks for that role.");
            return Output.Ok;
        });

        var overdue = new Command("overdue", "Open tasks past their due date, oldest first.") { limit };
        Runner.WithFirm(overdue, async (parse, session, db, cancellationToken) =>
        {
            var today = await TodayAsync(db, session, cancellationToken);
            Output.Tasks(await new TaskViews(db).OverdueAsync(today, parse.GetValue(limit), cancellationToken: cancellationToken), today, "Nothing is overdue.");
            return Output.Ok;
        });

        var key = new Argument<string>("key") { Description = "Household key." };
        var all = new Option<bool>("--all") { Description = "Include finished, skipped and cancelled tasks." };
        var forHousehold = new Command("household", "Tasks for one household.") { key, all, limit };
        Runner.WithFirm(forHousehold, async (parse, session, db, cancellationToken) =>
        {
            var household = await new HouseholdDirectory(db, session.Clock).FindAsync(parse.GetValue(key)!, cancellationToken);
            if (household is null)
            {
                return Output.Fail(Error.NotFound($"There is no household {parse.GetValue(key)}."));
            }

            var today = await TodayAsync(db, session, cancellationToken);
            Output.Tasks(await new TaskViews(db).ForHouseholdAsync(household.Id, parse.GetValue(all), parse.GetValue(limit), cancellationToken), today, $"{household.Name} has no open tasks.");
            return Output.Ok;
        });

        var task = new Argument<string>("task") { Description = "Task number." };
        var show = new Command("show", "One task in full: instructions, checklist and routing.") { task };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var id = Parsing.Task(parse.GetValue(task)!);
            if (!id.IsSuccess)
            {
                return Output.Fail(id.Error!);
            }

            var view = await new TaskViews(db).FindAsync(id.Value, cancellationToken);
            if (view is null)
            {
                return Output.Fail(Error.NotFound($"There is no task {id.Value}."));
            }

            var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == view.InstanceId, cancellationToken);
            var step = (await TemplateCache.GetAsync(db, instance.TemplateVersionId, cancellationToken)).FindStep(
                await db.Tasks.AsNoTracking().Where(t => t.Id == id.Value).Select(t => t.StepKey).SingleAsync(cancellationToken));
            AnsiConsole.Write(new Rule(Markup.Escape($"Task {view.Id}: {view.Title}")).LeftJustified());
            Output.Line($"{view.Process} #{view.InstanceId} for {view.HouseholdName ?? "the firm"} · role {view.Role} · {view.Assignee ?? "unassigned"} · due {Output.Date(view.DueOn)} · {view.Status}");
            Output.Line(view.RoutingNote);
            if (step is not null)
            {
                if (step.Instructions.Length > 0)
                {
                    Output.Line(step.Instructions.Trim());
                }

                foreach (var item in step.Checklist)
                {
                    Output.Line($"  [ ] {item}");
                }

                Output.Line($"About {step.EstimatedMinutes} minutes.{(step.Skippable ? " May be skipped with a reason." : "")}");
            }

            return Output.Ok;
        });

        return new Command("tasks", "Work lists.") { mine, byRole, overdue, forHousehold, show };
    }

    public static Command Complete()
    {
        var task = new Argument<string>("task") { Description = "Task number." };
        var note = new Option<string?>("--note") { Description = "A note kept with the finished task." };
        var command = new Command("complete", "Mark a task done; the next steps become tasks.") { task, note };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var id = Parsing.Task(parse.GetValue(task)!);
            return !id.IsSuccess
                ? Output.Fail(id.Error!)
                : await ReportTransitionAsync(db, session, await new WorkService(db, session.Clock).CompleteAsync(id.Value, session.Actor, parse.GetValue(note), cancellationToken), $"Completed task {id.Value}", cancellationToken);
        });
        return command;
    }

    public static Command Skip()
    {
        var task = new Argument<string>("task") { Description = "Task number." };
        var reason = new Option<string>("--reason") { Description = "Why the step is not needed (required).", Required = true };
        var command = new Command("skip", "Skip a step that may be skipped, with the reason.") { task, reason };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var id = Parsing.Task(parse.GetValue(task)!);
            return !id.IsSuccess
                ? Output.Fail(id.Error!)
                : await ReportTransitionAsync(db, session, await new WorkService(db, session.Clock).SkipAsync(id.Value, session.Actor, parse.GetValue(reason)!, cancellationToken), $"Skipped task {id.Value}", cancellationToken);
        });
        return command;
    }

    public static Command Begin()
    {
        var task = new Argument<string>("task") { Description = "Task number." };
        var command = new Command("begin", "Mark a task as in progress so colleagues see it is in hand.") { task };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var id = Parsing.Task(parse.GetValue(task)!);
            return !id.IsSuccess
                ? Output.Fail(id.Error!)
                : Runner.Report(await new WorkService(db, session.Clock).BeginAsync(id.Value, session.Actor, cancellationToken), t => Output.Success($"Task {t.Id} ({t.Title}) is in progress."));
        });
        return command;
    }

    public static Command Process()
    {
        var id = new Argument<long>("process") { Description = "Process number." };
        var show = new Command("show", "A process instance with all its tasks.") { id };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var instanceId = new InstanceId(parse.GetValue(id));
            var instance = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
            if (instance is null)
            {
                return Output.Fail(Error.NotFound($"There is no process {instanceId}."));
            }

            Output.Line($"{instance.TemplateName} #{instance.Id} · {instance.Status} · started {Output.Date(instance.StartedOn)} by {instance.StartedBy} · template version {instance.TemplateVersionId}");
            foreach (var anchor in instance.Anchors)
            {
                Output.Line($"{anchor.Key}: {Output.Date(anchor.Value)}");
            }

            Output.Tasks(await new TaskViews(db).ForInstanceAsync(instanceId, cancellationToken), await TodayAsync(db, session, cancellationToken), "No tasks.");
            return Output.Ok;
        });

        var reason = new Option<string>("--reason") { Description = "Why the process stops.", Required = true };
        var cancel = new Command("cancel", "Stop a process; its open tasks are cancelled.") { id, reason };
        Runner.WithFirm(cancel, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new WorkService(db, session.Clock).CancelAsync(new InstanceId(parse.GetValue(id)), session.Actor, parse.GetValue(reason)!, cancellationToken),
                i => Output.Success($"Cancelled {i.TemplateName} #{i.Id}.")));

        return new Command("process", "Process instances.") { show, cancel };
    }

    public static Command SweepCommand()
    {
        var command = new Command("sweep", "Flag overdue work and start periodic processes that are due (safe to run any time, any number of times).");
        Runner.WithFirm(command, async (_, session, db, cancellationToken) =>
        {
            var report = await new Sweep(db, session.Clock).RunAsync("ensemble", cancellationToken);
            Output.Success($"Marked {report.MarkedOverdue} task(s) overdue; started {report.ProcessesStarted} periodic process(es); {report.OccurrencesSkipped} skipped because the previous run is still open.");
            var reminders = await new Ensemble.Storage.ServiceModel.MeetingReminders(db).PlanAsync(session.Clock.GetCurrentInstant(), cancellationToken);
            Output.Success($"Meeting reminders: {reminders.Added} added, {reminders.Updated} updated, {reminders.Removed} removed.");
            Output.Line((await new Ensemble.Storage.ServiceModel.ContactPlanner(db, session.Clock).PlanAsync(Ensemble.Storage.ServiceModel.ContactPlanner.DefaultDays, "ensemble", onceADay: true, cancellationToken)).Summary);
            Output.Line((await new Ensemble.Storage.Opportunities.PipelineSync(db, session.Clock).RunAsync("ensemble", cancellationToken)).Summary);

            // Queued only: `ensemble outbox send` (or the web app) delivers them.
            Output.Line((await new Ensemble.Storage.Communications.Notifications.StaffEmails(db, session.Clock).RunAsync(cancellationToken)).Summary);
            return Output.Ok;
        });
        return command;
    }

    private static async Task<NodaTime.LocalDate> TodayAsync(EnsembleDb db, Session session, CancellationToken cancellationToken) =>
        (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(session.Clock);

    private static async Task<int> ReportTransitionAsync(EnsembleDb db, Session session, Result<Transition> result, string verb, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            return Output.Fail(result.Error!);
        }

        var transition = result.Value;
        var instance = transition.Instance;
        Output.Success($"{verb}: {instance.TemplateName} #{instance.Id}{(transition.InstanceCompleted ? " is complete." : ".")}");
        var views = new TaskViews(db);
        var activated = new List<TaskView>();
        foreach (var task in transition.Activated)
        {
            if (await views.FindAsync(task.Id, cancellationToken) is { } view)
            {
                activated.Add(view);
            }
        }

        if (activated.Count > 0)
        {
            Output.Line("Now open:");
            Output.Tasks(activated, await TodayAsync(db, session, cancellationToken), "");
        }

        var followOn = await db.Instances.AsNoTracking()
            .Where(i => i.TriggerKey != null && i.TriggerKey.StartsWith($"completed:{instance.TemplateKey}:{instance.Id}->"))
            .ToListAsync(cancellationToken);
        foreach (var next in followOn)
        {
            Output.Success($"Started the next process: {next.TemplateName} #{next.Id}.");
        }

        return Output.Ok;
    }
}
