using Ensemble.Storage;
using Ensemble.Storage.Practice;
using Ensemble.Web.Access;
using Ensemble.Web.Pages.Shared.Components.NotificationBadge;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>My in-app notifications (meeting reminders and the like): only my own, and only once they are due to show.</summary>
internal static class NotificationsApi
{
    public sealed record ReadAll(int Marked);

    public static void Map(RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", List).Allow(AccessKind.AnyStaff).WithSummary("My notifications that have shown, newest first; ?unread=true for the unread ones.");
        notifications.MapPost("/{id:long}/read", Read).Allow(AccessKind.AnyStaff).WithSummary("Mark one of my notifications read.");
        notifications.MapPost("/read-all", ReadEverything).Allow(AccessKind.AnyStaff).WithSummary("Mark all my shown notifications read.");
    }

    private static async Task<IResult> List(bool? unread, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var items = await new NotificationInbox(db).ListAsync(caller.StaffId, clock.GetCurrentInstant(), unread ?? false, take + 1, skip, cancellationToken);
        return Results.Ok(Paging.Of(items, skip, take));
    }

    private static async Task<IResult> Read(long id, CurrentCaller callers, EnsembleDb db, IClock clock, IMemoryCache cache, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var read = await new NotificationInbox(db).MarkReadAsync(caller.StaffId, id, clock.GetCurrentInstant(), cancellationToken);
        if (read is null)
        {
            return Results.Problem(detail: $"You have no notification {id}.", statusCode: StatusCodes.Status404NotFound);
        }

        NotificationBadgeViewComponent.Forget(cache, caller.StaffId);
        return Results.Ok(read);
    }

    private static async Task<IResult> ReadEverything(CurrentCaller callers, EnsembleDb db, IClock clock, IMemoryCache cache, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var marked = await new NotificationInbox(db).MarkAllReadAsync(caller.StaffId, clock.GetCurrentInstant(), cancellationToken);
        NotificationBadgeViewComponent.Forget(cache, caller.StaffId);
        return Results.Ok(new ReadAll(marked));
    }
}
