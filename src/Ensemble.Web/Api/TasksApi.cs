using System.Globalization;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>Work lists and task transitions.</summary>
internal static class TasksApi
{
    public sealed record CompleteRequest(string? Note);

    public sealed record SkipRequest(string? Reason);

    public sealed record TransitionResponse(TaskView Task, IReadOnlyList<TaskView> Activated, bool ProcessCompleted);

    public static void Map(RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/tasks").WithTags("Tasks");
        tasks.MapGet("/mine", Mine).Allow(AccessKind.AnyStaff).WithSummary("My open work, soonest due first.");
        tasks.MapGet("/overdue", Overdue).Allow(AccessKind.AnyStaff).WithSummary("Overdue work in the households I may see.");
        tasks.MapGet("/role/{role}", ForRole).Allow(AccessKind.AnyStaff).WithSummary("Open work for a role, in the households I may see.");
        tasks.MapGet("/{id:long}", Get).Allow(AccessKind.Task).WithSummary("One task; its ETag is the version to send in If-Match.");
        tasks.MapPost("/{id:long}/begin", Begin).Allow(AccessKind.Task).WithSummary("Mark a task as in progress.");
        tasks.MapPost("/{id:long}/complete", Complete).Allow(AccessKind.TaskTransition).WithSummary("Complete a task; its dependents become tasks.");
        tasks.MapPost("/{id:long}/skip", Skip).Allow(AccessKind.Task).WithSummary("Skip a skippable task, with a reason.");
    }

    private static async Task<IResult> Mine(CurrentCaller callers, EnsembleDb db, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, 0, out var take, out _) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new TaskViews(db).ForStaffAsync(caller.StaffId, take, cancellationToken));
    }

    private static async Task<IResult> Overdue(CurrentCaller callers, EnsembleDb db, IClock clock, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, 0, out var take, out _) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        return Results.Ok(await new TaskViews(db).OverdueAsync(today, take, visible, cancellationToken));
    }

    private static async Task<IResult> ForRole(string role, CurrentCaller callers, EnsembleDb db, int? limit, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, 0, out var take, out _) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        return Results.Ok(await new TaskViews(db).ForRoleAsync(Ensemble.Practice.RoleKeys.Normalize(role), take, visible, cancellationToken));
    }

    private static async Task<IResult> Get(long id, HttpContext http, EnsembleDb db, CancellationToken cancellationToken)
    {
        var view = await new TaskViews(db).FindAsync(new TaskId(id), cancellationToken);
        if (view is null)
        {
            return Results.NotFound();
        }

        http.Response.Headers.ETag = await ETagAsync(db, id, cancellationToken);
        return Results.Ok(view);
    }

    private static async Task<IResult> Begin(long id, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var begun = await new WorkService(db, clock).BeginAsync(new TaskId(id), Check(http, caller), cancellationToken);
        return begun.IsSuccess ? Results.Ok(await new TaskViews(db).FindAsync(new TaskId(id), cancellationToken)) : Problems.From(begun.Error!);
    }

    private static async Task<IResult> Complete(long id, CompleteRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (body?.Note is { Length: > 2000 })
        {
            return Problems.Invalid(("note", "A note can be at most 2,000 characters."));
        }

        // Access to the task is decided by the transition, on the task it loads (AccessKind.TaskTransition).
        var caller = await callers.RequireAsync(cancellationToken);
        var work = new WorkService(db, clock);
        var done = await work.CompleteAsync(new TaskId(id), Check(http, caller), body?.Note, cancellationToken);
        return done.IsSuccess ? Results.Ok(Response(work, id, done.Value)) : Problems.From(done.Error!);
    }

    private static async Task<IResult> Skip(long id, SkipRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            return Problems.Invalid(("reason", "Skipping a task needs a reason."));
        }

        if (body.Reason.Length > 2000)
        {
            return Problems.Invalid(("reason", "A reason can be at most 2,000 characters."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var work = new WorkService(db, clock);
        var skipped = await work.SkipAsync(new TaskId(id), Check(http, caller), body.Reason.Trim(), cancellationToken);
        return skipped.IsSuccess ? Results.Ok(Response(work, id, skipped.Value)) : Problems.From(skipped.Error!);
    }

    // The task and the ones it activated, as the transition left them: the service built them from what it read.
    private static TransitionResponse Response(WorkService work, long id, Ensemble.Processes.Running.Transition transition) => new(
        work.ViewOf(transition.Instance.Tasks.Single(t => t.Id == new TaskId(id))),
        transition.Activated.Select(work.ViewOf).ToList(),
        transition.InstanceCompleted);

    /// <summary>
    /// The caller, and with If-Match the versions they read: the transition refuses a task that has moved on since (412),
    /// checked on the task it loads, so nothing can change between the check and the write.
    /// </summary>
    private static TaskCheck Check(HttpContext http, Caller caller)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
        {
            return new TaskCheck(caller);
        }

        // An entity tag that is not one of ours ("3" for version 3) matches no version, so the write is refused.
        var versions = new HashSet<int>();
        foreach (var tag in ifMatch.Split(',', StringSplitOptions.TrimEntries))
        {
            if (tag is ['"', .. var inner, '"'] && int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return new TaskCheck(caller, versions);
    }

    private static async Task<string> ETagAsync(EnsembleDb db, long id, CancellationToken cancellationToken)
    {
        var version = await db.Tasks.AsNoTracking().Where(t => t.Id == new TaskId(id)).Select(t => t.Version).SingleAsync(cancellationToken);
        return $"\"{version}\"";
    }
}
