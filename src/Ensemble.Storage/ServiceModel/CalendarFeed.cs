using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Duration = Ical.Net.DataTypes.Duration;
using Period = NodaTime.Period;

namespace Ensemble.Storage.ServiceModel;

/// <summary>One meeting as a calendar entry needs it.</summary>
public sealed record FeedMeeting(Touchpoint Touchpoint, string HouseholdKey, string HouseholdName);

/// <summary>
/// iCalendar (RFC 5545) for meetings, written with Ical.Net: a person's subscribable feed (the meetings
/// they hold or are involved in, from <see cref="Past"/> ago to <see cref="Ahead"/> ahead) and a single
/// meeting to download. Times are wall-clock times in the firm's zone with its VTIMEZONE; each event has
/// a stable UID and a SEQUENCE that grows with every change, so clients update entries in place, and
/// carries the same three reminders as the app (a week, a day and an hour before).
/// </summary>
public sealed class CalendarFeed(EnsembleDb db, IClock clock)
{
    public const string ProductId = "-//Ensemble//Meetings//EN";

    public static readonly Period Past = Period.FromDays(30);

    public static readonly Period Ahead = Period.FromYears(1);

    /// <summary>The alarms every meeting carries, as RFC 5545 durations before the start.</summary>
    public static IReadOnlyList<(string Lead, Duration Before)> Alarms { get; } =
    [
        ("A week", Duration.FromDays(-7)),
        ("A day", Duration.FromDays(-1)),
        ("An hour", Duration.FromHours(-1)),
    ];

    public static string Uid(TouchpointId id) => $"touchpoint-{id.Value}@ensemble";

    /// <summary>A staff member's feed, or null when there is no such person.</summary>
    /// <param name="appUrl">Where the app is served (links in descriptions); null writes paths only.</param>
    public async Task<string?> ForStaffAsync(StaffId staffId, Uri? appUrl, CancellationToken cancellationToken = default)
    {
        var person = await db.Staff.AsNoTracking().Where(s => s.Id == staffId).Select(s => new { s.Name }).SingleOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return null;
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var meetings = await MeetingsOfAsync(staffId, today - Past, today + Ahead, today, cancellationToken);
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        return Write($"{firm.Name}: {person.Name}'s meetings", firm.Zone, settings, meetings, clock.GetCurrentInstant(), appUrl);
    }

    /// <summary>One meeting of a household as a calendar file, or null when the household has no such meeting.</summary>
    public async Task<string?> ForTouchpointAsync(HouseholdId householdId, TouchpointId touchpointId, Uri? appUrl, CancellationToken cancellationToken = default)
    {
        var touchpoint = await db.Touchpoints.AsNoTracking().SingleOrDefaultAsync(t => t.Id == touchpointId && t.HouseholdId == householdId, cancellationToken);
        if (touchpoint is null)
        {
            return null;
        }

        var household = await db.Households.AsNoTracking().Where(h => h.Id == householdId).Select(h => new { h.Key, h.Name }).SingleAsync(cancellationToken);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        return Write($"{firm.Name}: {household.Name}", firm.Zone, settings, [new FeedMeeting(touchpoint, household.Key, household.Name)], clock.GetCurrentInstant(), appUrl);
    }

    /// <summary>
    /// The meetings a person holds or is involved in, starting between two dates (inclusive), earliest first:
    /// candidates are the meetings they advise and those of households on whose team they hold a role; each
    /// is kept when <see cref="MeetingParticipants"/> names them for it.
    /// </summary>
    public async Task<List<FeedMeeting>> MeetingsOfAsync(StaffId staffId, LocalDate from, LocalDate to, LocalDate today, CancellationToken cancellationToken = default)
    {
        var start = from.AtMidnight();
        var end = to.PlusDays(1).AtMidnight();
        var teams = await db.TeamAssignments.AsNoTracking()
            .Where(a => a.HouseholdId != null && a.StaffId == staffId)
            .Select(a => a.HouseholdId!.Value)
            .Distinct()
            .ToListAsync(cancellationToken);
        var candidates = await db.Touchpoints.AsNoTracking()
            .Where(t => t.AdvisorId == staffId && t.StartsAt >= start && t.StartsAt < end)
            .ToListAsync(cancellationToken);
        foreach (var chunk in teams.Chunk(1000))
        {
            candidates.AddRange(await db.Touchpoints.AsNoTracking()
                .Where(t => chunk.Contains(t.HouseholdId) && t.StartsAt >= start && t.StartsAt < end)
                .ToListAsync(cancellationToken));
        }

        candidates = candidates.DistinctBy(t => t.Id).ToList();
        var cast = await new MeetingParticipants(db).ForAsync(candidates, today, cancellationToken);
        var mine = candidates.Where(t => cast[t.Id].Contains(staffId)).OrderBy(t => t.StartsAt).ThenBy(t => t.Id.Value).ToList();
        var householdIds = mine.Select(t => t.HouseholdId).Distinct().ToList();
        var households = new Dictionary<HouseholdId, (string Key, string Name)>();
        foreach (var chunk in householdIds.Chunk(1000))
        {
            foreach (var h in await db.Households.AsNoTracking().Where(h => chunk.Contains(h.Id)).Select(h => new { h.Id, h.Key, h.Name }).ToListAsync(cancellationToken))
            {
                households[h.Id] = (h.Key, h.Name);
            }
        }

        return mine.Select(t => new FeedMeeting(t, households[t.HouseholdId].Key, households[t.HouseholdId].Name)).ToList();
    }

    /// <summary>Writes the calendar: VCALENDAR with the firm's VTIMEZONE and one VEVENT per meeting, CRLF line ends, lines folded at 75 octets.</summary>
    public static string Write(string name, DateTimeZone zone, ServiceSettings settings, IReadOnlyList<FeedMeeting> meetings, Instant stamp, Uri? appUrl)
    {
        var calendar = new Ical.Net.Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        calendar.AddProperty("X-WR-TIMEZONE", zone.Id);

        // Subscribed calendars are re-read about hourly by clients that honour this.
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        var earliest = meetings.Count == 0 ? stamp.InZone(zone).Date : meetings.Min(m => m.Touchpoint.Date);
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zone.Id, new DateTime(earliest.Year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), includeHistoricalData: false));
        var dtStamp = new CalDateTime(stamp.ToDateTimeUtc(), CalDateTime.UtcTzId, hasTime: true);
        foreach (var meeting in meetings)
        {
            calendar.Events.Add(Event(meeting, zone, settings, dtStamp, appUrl));
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net wrote no calendar.");
    }

    private static CalendarEvent Event(FeedMeeting meeting, DateTimeZone zone, ServiceSettings settings, CalDateTime stamp, Uri? appUrl)
    {
        var t = meeting.Touchpoint;
        var path = MeetingText.HouseholdPath(meeting.HouseholdKey);
        var link = appUrl is null ? path : new Uri(appUrl, path).ToString();
        var summary = MeetingText.Summary(t, meeting.HouseholdName, settings);
        var description = $"Household {meeting.HouseholdKey}: {meeting.HouseholdName}\n{MeetingText.KindName(t.Kind)}, {t.Minutes} minutes"
            + (MeetingText.TopicTitle(t, settings) is { } topic ? $"\nTopic: {topic}" : "")
            + $"\nOpen in Ensemble: {link}";
        var e = new CalendarEvent
        {
            Uid = Uid(t.Id),
            DtStamp = stamp,
            DtStart = new CalDateTime(t.StartsAt.Year, t.StartsAt.Month, t.StartsAt.Day, t.StartsAt.Hour, t.StartsAt.Minute, t.StartsAt.Second, zone.Id),
            Duration = Duration.FromMinutes(t.Minutes),
            Summary = summary,
            Description = description,
            Sequence = t.Version,
            Status = t.Status == TouchpointStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
            Transparency = "OPAQUE",
        };
        if (appUrl is not null)
        {
            e.Url = new Uri(link);
        }

        foreach (var (lead, before) in Alarms)
        {
            e.Alarms.Add(new Alarm { Action = "DISPLAY", Description = $"{lead} to go: {summary}", Trigger = new Trigger(before) });
        }

        return e;
    }
}
