using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>
/// Meetings as iCalendar: each person's subscribable feed (its address carries the secret, since calendar
/// clients cannot sign in) and any one meeting of a household as a .ics download.
/// </summary>
internal static class CalendarFeedApi
{
    private const string ContentType = "text/calendar; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        // Anonymous by route, because a calendar client sends no credentials; the handler checks the secret.
        app.MapGet("/feeds/{handle}/{secret}.ics", Feed).Allow(AccessKind.Anonymous).WithTags("Calendar feeds")
            .WithSummary("A person's meetings as a subscribable iCalendar feed; the address is the credential.");
        api.MapGet("/households/{key}/touchpoints/{id:long}.ics", Meeting).Allow(AccessKind.Household).WithTags("Households")
            .WithSummary("One of the household's meetings as an iCalendar file, with reminders a week, a day and an hour before.");
    }

    private static async Task<IResult> Feed(string handle, string secret, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var name = handle.Trim().ToLowerInvariant();
        var staffId = await db.Staff.AsNoTracking().Where(s => s.Handle == name && s.Active).Select(s => (StaffId?)s.Id).SingleOrDefaultAsync(cancellationToken);

        // An unknown person and a wrong secret look the same: not found.
        if (staffId is not { } id || !CalendarFeedSecrets.From(http.RequestServices).Verify(id, secret))
        {
            return Results.NotFound();
        }

        var calendar = await new CalendarFeed(db, clock).ForStaffAsync(id, AppUrl(http.Request), cancellationToken);
        http.Response.Headers.CacheControl = "private, max-age=300";
        return Results.Text(calendar!, ContentType);
    }

    private static async Task<IResult> Meeting(long id, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var calendar = await new CalendarFeed(db, clock).ForTouchpointAsync(HouseholdRoute.Id(http), new TouchpointId(id), AppUrl(http.Request), cancellationToken);
        return calendar is null
            ? Results.Problem(detail: $"The household has no meeting {id}.", statusCode: StatusCodes.Status404NotFound)
            : Results.File(System.Text.Encoding.UTF8.GetBytes(calendar), ContentType, $"meeting-{id}.ics");
    }

    private static Uri AppUrl(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");
}
