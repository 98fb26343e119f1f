using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>Running processes.</summary>
internal static class ProcessesApi
{
    public sealed record CancelRequest(string? Reason);

    public static void Map(RouteGroupBuilder api)
    {
        var processes = api.MapGroup("/processes").WithTags("Processes");
        processes.MapGet("/{id:long}", Get).Allow(AccessKind.Process).WithSummary("A process and all its tasks.");
        processes.MapPost("/{id:long}/cancel", Cancel).Allow(AccessKind.Process).WithSummary("Cancel a process, with a reason; its open tasks are cancelled.");
    }

    private static async Task<IResult> Get(long id, EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok(new { id, tasks = await new TaskViews(db).ForInstanceAsync(new InstanceId(id), cancellationToken) });

    private static async Task<IResult> Cancel(long id, CancelRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            return Problems.Invalid(("reason", "Cancelling a process needs a reason."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var cancelled = await new WorkService(db, clock).CancelAsync(new InstanceId(id), caller.Handle, body.Reason.Trim(), cancellationToken);
        return Problems.Of(cancelled, i => Results.Ok(new { id, status = i.Status }));
    }
}
