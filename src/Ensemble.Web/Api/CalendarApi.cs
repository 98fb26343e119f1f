using System.Globalization;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>The yearly service calendar: laying out a year, a household's meetings, marking them held or cancelled, an advisor's month.</summary>
internal static class CalendarApi
{
    public sealed record LayOutRequest(int? Year, string? Household);

    public sealed record HeldRequest(string? Note, bool? BookNext);

    public sealed record CancelRequest(string? Reason);

    public sealed record AdvisorMonth(string Advisor, string Month, int Limit, Page<TouchpointView> Meetings);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/calendar/lay-out", LayOut).Allow(AccessKind.ManagePractice).WithTags("Calendar")
            .WithSummary("Lay out a service year for every tiered client (or one household): meetings placed, processes started, what could not be placed and why. Safe to repeat.");
        api.MapGet("/calendar", Month).Allow(AccessKind.AnyStaff).WithTags("Calendar")
            .WithSummary("My meetings in a month (?month=2027-03); roles that see the whole firm may ask for another advisor's (?advisor=handle).");

        var households = api.MapGroup("/households/{key}/touchpoints").WithTags("Households");
        households.MapGet("/", ForHousehold).Allow(AccessKind.Household).WithSummary("The household's meetings (?year=2027 for one service year), earliest first.");
        households.MapPost("/{id:long}/held", Held).Allow(AccessKind.Household)
            .WithSummary("Mark a meeting held; the answer proposes the next in line with the tier, and books it with bookNext.");
        households.MapPost("/{id:long}/cancel", Cancel).Allow(AccessKind.Household).WithSummary("Cancel a planned meeting, with a reason; its process is cancelled too.");
    }

    private static async Task<IResult> LayOut(LayOutRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (body?.Year is not { } year)
        {
            return Problems.Invalid(("year", "Name the service year to lay out, e.g. 2027."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var household = string.IsNullOrWhiteSpace(body.Household) ? null : body.Household.Trim();
        var report = await new ServiceCalendar(db, clock).LayOutAsync(year, household, caller.Handle, cancellationToken);
        return Problems.Of(report, Results.Ok);
    }

    private static async Task<IResult> ForHousehold(int? year, int? limit, int? offset, HttpContext http, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var meetings = await new ServiceCalendarViews(db).ForHouseholdAsync(HouseholdRoute.Id(http), year, cancellationToken);
        return Results.Ok(Paging.Of(meetings.Skip(skip).Take(take + 1).ToList(), skip, take));
    }

    private static async Task<IResult> Held(long id, HeldRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (await NotTheHouseholdsAsync(id, http, db, cancellationToken) is { } missing)
        {
            return missing;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var held = await new ServiceCalendar(db, clock).MarkHeldAsync(new TouchpointId(id), body?.Note, body?.BookNext ?? false, caller.Handle, cancellationToken);
        return Problems.Of(held, Results.Ok);
    }

    private static async Task<IResult> Cancel(long id, CancelRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (await NotTheHouseholdsAsync(id, http, db, cancellationToken) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            return Problems.Invalid(("reason", "Say why the meeting is cancelled."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var cancelled = await new ServiceCalendar(db, clock).CancelAsync(new TouchpointId(id), body.Reason, caller.Handle, cancellationToken);
        return Problems.Of(cancelled, Results.Ok);
    }

    private static async Task<IResult> Month(string? month, string? advisor, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var which = month is null ? new YearMonth(today.Year, today.Month) : ServiceCalendarViews.ParseMonth(month);
        if (!which.IsSuccess)
        {
            return Problems.Invalid(("month", which.Error!.Message));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var (staffId, handle) = (caller.StaffId, caller.Handle);
        if (!string.IsNullOrWhiteSpace(advisor) && !string.Equals(advisor.Trim(), caller.Handle, StringComparison.OrdinalIgnoreCase))
        {
            if (!caller.SeesWholeFirm)
            {
                return Problems.From(Error.Forbidden("Only roles that see the whole firm may look at another advisor's meetings."));
            }

            var name = advisor.Trim().ToLowerInvariant();
            var other = await db.Staff.AsNoTracking().Where(s => s.Handle == name).Select(s => (StaffId?)s.Id).SingleOrDefaultAsync(cancellationToken);
            if (other is not { } found)
            {
                return Problems.From(Error.NotFound($"There is no staff member \"{advisor.Trim()}\"."));
            }

            (staffId, handle) = (found, name);
        }

        var meetings = await new ServiceCalendarViews(db).ForAdvisorAsync(staffId, which.Value.Year, which.Value.Month, cancellationToken);
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        return Results.Ok(new AdvisorMonth(
            handle, which.Value.ToString("uuuu-MM", CultureInfo.InvariantCulture), settings.MeetingsPerAdvisorPerDay,
            Paging.Of(meetings.Skip(skip).Take(take + 1).ToList(), skip, take)));
    }

    /// <summary>A meeting is reached through its own household only: any other id is simply not found here.</summary>
    private static async Task<IResult?> NotTheHouseholdsAsync(long id, HttpContext http, EnsembleDb db, CancellationToken cancellationToken)
    {
        var household = HouseholdRoute.Id(http);
        var belongs = await db.Touchpoints.AsNoTracking().AnyAsync(t => t.Id == new TouchpointId(id) && t.HouseholdId == household, cancellationToken);
        return belongs ? null : Results.Problem(detail: $"The household has no meeting {id}.", statusCode: StatusCodes.Status404NotFound);
    }
}
