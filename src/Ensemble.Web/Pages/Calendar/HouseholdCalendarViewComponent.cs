using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Pages.Calendar;

/// <summary>A meeting of the household's year, with the meeting that would follow it when it is marked held.</summary>
public sealed record CalendarLine(TouchpointView Meeting, TouchpointProposal? Next);

/// <summary>What the household page's service calendar section shows.</summary>
public sealed record HouseholdCalendarView(string Key, int Year, IReadOnlyList<int> Years, int? ReviewMonth, IReadOnlyList<CalendarLine> Lines, LocalDate Today, string? Message, bool Failed);

/// <summary>
/// The household page's service calendar: the meetings of one service year (the one with the next planned meeting,
/// or <c>?calendarYear=</c>) with when, what, topic, advisor, status and the process that prepares each; a planned
/// meeting can be marked held (the form says which meeting would follow, and can book it) or cancelled. The forms
/// post to <see cref="MeetingModel"/>.
/// </summary>
public sealed class HouseholdCalendarViewComponent(EnsembleDb db, IClock clock) : ViewComponent
{
    public const string MessageKey = "CalendarMessage";

    public async Task<IViewComponentResult> InvokeAsync(string key, string? message = null, bool failed = false)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var household = HouseholdRoute.Id(HttpContext);
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var years = await db.Touchpoints.AsNoTracking().Where(t => t.HouseholdId == household).Select(t => t.Year).Distinct().OrderBy(y => y).ToListAsync(cancellationToken);
        var nextPlanned = await db.Touchpoints.AsNoTracking()
            .Where(t => t.HouseholdId == household && t.Status == TouchpointStatus.Planned)
            .OrderBy(t => t.StartsAt).Select(t => (int?)t.Year).FirstOrDefaultAsync(cancellationToken);
        var year = int.TryParse(Request.Query["calendarYear"], out var asked) && years.Contains(asked)
            ? asked
            : nextPlanned ?? (years.Count > 0 ? years[^1] : today.Year);

        // What follows a meeting is usually the year's next one, already in the list; only the year's last asks the
        // calendar, which works out next year's review around everyone's bookings.
        var calendar = new ServiceCalendar(db, clock);
        var meetings = await new ServiceCalendarViews(db).ForHouseholdAsync(household, year, cancellationToken);
        var lines = new List<CalendarLine>();
        foreach (var meeting in meetings)
        {
            TouchpointProposal? next = null;
            if (meeting.Status == TouchpointStatus.Planned)
            {
                var following = meetings.FirstOrDefault(m => m.Sequence == meeting.Sequence + 1);
                var proposed = following is null ? await calendar.ProposeNextAsync(new TouchpointId(meeting.Id), cancellationToken) : default;
                next = following is not null
                    ? new TouchpointProposal(following.Year, following.Sequence, following.Kind, following.Minutes, following.StartsAt, following.Advisor, following.Topic, following.TopicTitle, following, null)
                    : proposed.IsSuccess ? proposed.Value : null;
            }

            lines.Add(new CalendarLine(meeting, next));
        }

        if (message is null && TempData[MessageKey] is string stored)
        {
            message = stored;
            failed = TempData[MessageKey + ":failed"] is true;
        }

        var reviewMonth = await db.Households.AsNoTracking().Where(h => h.Id == household).Select(h => h.ReviewMonth).SingleAsync(cancellationToken);
        return View("~/Pages/Calendar/_HouseholdCalendar.cshtml", new HouseholdCalendarView(key, year, years, reviewMonth, lines, today, message, failed));
    }
}
