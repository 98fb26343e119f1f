using Ensemble.Storage;
using Ensemble.Storage.Communications.Notifications;
using Ensemble.Web.Access;

namespace Ensemble.Web.Api;

/// <summary>Which emails Ensemble sends me; omitted fields keep their value.</summary>
public sealed record NotificationPreferencesRequest(bool? DailyDigest, bool? MeetingReminders, bool? AlertsInDigest);

/// <summary>My notification emails: the daily digest, meeting reminders and new alerts in the digest, each on or off (all on until changed).</summary>
internal static class NotificationPreferencesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/me/notification-preferences").WithTags("Notifications");
        mine.MapGet("/", Get).Allow(AccessKind.AnyStaff).WithSummary("Which emails Ensemble sends me, and the address it sends them to.");
        mine.MapPut("/", Set).Allow(AccessKind.AnyStaff).WithSummary("Turn my daily digest, meeting reminder emails or new alerts in the digest on or off. Audited.");
    }

    private static async Task<IResult> Get(CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new NotificationPreferencesStore(db).GetAsync(caller.StaffId, cancellationToken));
    }

    private static async Task<IResult> Set(NotificationPreferencesRequest? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var saved = await new NotificationPreferencesStore(db).SetAsync(caller.StaffId, body?.DailyDigest, body?.MeetingReminders, body?.AlertsInDigest, caller.Handle, cancellationToken);
        return Problems.Of(saved, Results.Ok);
    }
}
