using System.Text;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Tests.Testing;
using Ical.Net.CalendarComponents;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.ServiceModel;

/// <summary>
/// A staff member's calendar feed, written and then read back with Ical.Net as a calendar client would, and
/// checked against the letter of RFC 5545 (CRLF line ends, lines folded at 75 octets, balanced components).
/// </summary>
public sealed class CalendarFeedTests
{
    private static readonly Uri App = new("https://ensemble.example/");

    /// <summary>The review template plus small topic-meeting and action-item-review templates, all with a paraplanner step.</summary>
    private static readonly (string, string)[] Library =
    [
        Templates.File(MeetingRemindersTests.ReviewTemplate),
        Templates.File(MeetingTemplate("topic-meeting", "Topic Meeting")),
        Templates.File(MeetingTemplate("action-item-review", "Action Item Review")),
    ];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StaffFeed_ParsesBack_WithTheirMeetingsTimeZoneAlarmsAndStatus(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        var review = await MeetingRemindersTests.AddMeetingAsync(s, new LocalDateTime(2026, 12, 1, 14, 0));
        var topic = await AddAsync(s, new Touchpoint(s.Household, 2026, 2, TouchpointKind.TopicMeeting, new LocalDateTime(2027, 3, 2, 9, 30), 30, s.Staff["dan"], "tax-planning"));
        var cancelled = await AddAsync(s, new Touchpoint(s.Household, 2026, 3, TouchpointKind.ActionItemReview, new LocalDateTime(2027, 6, 1, 11, 0), 60, s.Staff["dan"], null));
        await ChangeAsync(s, cancelled, t => t.Cancel("The clients moved abroad."));
        await AddAsync(s, new Touchpoint(s.Household, 2025, 1, TouchpointKind.Review, new LocalDateTime(2025, 10, 1, 10, 0), 90, s.Staff["dan"], null));
        await AddAsync(s, new Touchpoint(s.Household, 2027, 1, TouchpointKind.Review, new LocalDateTime(2027, 12, 1, 10, 0), 90, s.Staff["dan"], null));
        var foreign = await s.AddHouseholdAsync("HH-2", LifecycleStage.Client);
        await AddAsync(s, new Touchpoint(foreign.Id, 2026, 1, TouchpointKind.Review, new LocalDateTime(2026, 12, 2, 10, 0), 90, s.Staff["dan"], null));
        await RemoveFromTeamAsync(s, foreign.Id, "alice");

        var text = await new CalendarFeed(s.Db, s.Clock).ForStaffAsync(s.Staff["alice"], App);

        Assert.NotNull(text);
        AssertWellFormed(text);
        var calendar = Ical.Net.Calendar.Load(text)!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal(CalendarFeed.ProductId, calendar.ProductId);
        Assert.Equal("Test Wealth: Alice's meetings", calendar.Properties["X-WR-CALNAME"]!.Value);
        Assert.Equal("America/New_York", Assert.Single(calendar.TimeZones).TzId);

        // The meeting a year and more away, the one 14 months ago and the household alice is not on are left out.
        Assert.Equal([CalendarFeed.Uid(review.Id), CalendarFeed.Uid(topic.Id), CalendarFeed.Uid(cancelled.Id)], calendar.Events.Select(e => e.Uid));
        var first = calendar.Events[0]!;
        Assert.Equal("America/New_York", first.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 12, 1, 14, 0, 0), first.DtStart.Value);
        Assert.Equal(new DateTime(2026, 12, 1, 19, 0, 0, DateTimeKind.Utc), first.DtStart.AsUtc);
        Assert.Equal(TimeSpan.FromMinutes(90), first.Duration!.Value.ToTimeSpanUnspecified());
        Assert.Equal("Annual review: The Okafor Household", first.Summary);
        Assert.Contains("HH-1", first.Description, StringComparison.Ordinal);
        Assert.Contains("https://ensemble.example/households/HH-1", first.Description, StringComparison.Ordinal);
        Assert.Equal("CONFIRMED", first.Status);
        Assert.Equal(0, first.Sequence);
        Assert.All(calendar.Events, e =>
        {
            Assert.Equal(["-P7D", "-P1D", "-PT1H"], e.Alarms.Select(a => a.Trigger!.Duration.ToString()));
            Assert.All(e.Alarms, a => Assert.Equal("DISPLAY", a.Action));
            Assert.All(e.Alarms, a => Assert.False(string.IsNullOrEmpty(a.Description)));
        });

        var second = calendar.Events[1]!;
        Assert.Equal("Topic meeting (Planning this year's taxes): The Okafor Household", second.Summary);
        Assert.Equal(new DateTime(2027, 3, 2, 14, 30, 0, DateTimeKind.Utc), second.DtStart!.AsUtc);

        var third = calendar.Events[2]!;
        Assert.Equal("CANCELLED", third.Status);
        Assert.Equal(1, third.Sequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StaffFeed_FoldsLongNonAsciiLinesAtSeventyFiveOctets_AndKeepsMeetingsAtTheSameTime(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(MeetingRemindersTests.ReviewTemplate));
        var household = await s.Db.Households.SingleAsync(h => h.Id == s.Household);
        household.Rename("The Łukasiewicz-Núñez-Ōtsuka Family of Greater Saint-Rémy-de-Provence, with Grandparents");
        s.Db.Actor = "admin";
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        await MeetingRemindersTests.AddMeetingAsync(s, new LocalDateTime(2026, 12, 1, 14, 0));
        await MeetingRemindersTests.AddMeetingAsync(s, new LocalDateTime(2026, 12, 1, 14, 0), sequence: 2);

        var text = await new CalendarFeed(s.Db, s.Clock).ForStaffAsync(s.Staff["alice"], App);

        AssertWellFormed(text!);
        Assert.Contains(text!.Split("\r\n"), line => line.StartsWith(' '));
        var events = Ical.Net.Calendar.Load(text)!.Events;
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal($"Annual review: {household.Name}", e.Summary));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OneMeeting_DownloadsOnlyFromItsOwnHousehold(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(MeetingRemindersTests.ReviewTemplate));
        var review = await MeetingRemindersTests.AddMeetingAsync(s, new LocalDateTime(2026, 12, 1, 14, 0));
        var other = await s.AddHouseholdAsync("HH-2", LifecycleStage.Client);
        var feed = new CalendarFeed(s.Db, s.Clock);

        var text = await feed.ForTouchpointAsync(s.Household, review.Id, App);
        var wrong = await feed.ForTouchpointAsync(other.Id, review.Id, App);

        AssertWellFormed(text!);
        var e = Assert.Single(Ical.Net.Calendar.Load(text!)!.Events);
        Assert.Equal(CalendarFeed.Uid(review.Id), e.Uid);
        Assert.Equal(3, e.Alarms.Count);
        Assert.Null(wrong);
    }

    /// <summary>RFC 5545 §3.1: CRLF after every line, no line over 75 octets, and every BEGIN closed by its END.</summary>
    private static void AssertWellFormed(string text)
    {
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                Assert.True(i > 0 && text[i - 1] == '\r', $"A bare line feed at character {i}.");
            }
        }

        var open = new Stack<string>();
        var lines = text[..^2].Split("\r\n");
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        foreach (var (line, number) in lines.Select((l, n) => (l, n + 1)))
        {
            Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"Line {number} is {Encoding.UTF8.GetByteCount(line)} octets: {line}");
            if (line.StartsWith("BEGIN:", StringComparison.Ordinal))
            {
                open.Push(line[6..]);
            }
            else if (line.StartsWith("END:", StringComparison.Ordinal))
            {
                Assert.True(open.Count > 0, $"Line {number} ends {line[4..]}, which never began.");
                Assert.Equal(open.Pop(), line[4..]);
            }
        }

        Assert.Empty(open);
        Assert.Equal("END:VCALENDAR", lines[^1]);
    }

    private static string MeetingTemplate(string key, string name) => $"""
        key: {key}
        name: {name}
        category: client-management
        description: Prepares and holds a client meeting.
        owner: wealth-partner
        steps:
          - key: prepare
            title: Prepare the meeting
            role: paraplanner
            due: 2 business days after start
        """;

    private static async Task<Touchpoint> AddAsync(PracticeScenario s, Touchpoint touchpoint)
    {
        s.Db.Actor = "admin";
        s.Db.Operation = "test-setup";
        s.Db.Touchpoints.Add(touchpoint);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        return touchpoint;
    }

    private static async Task ChangeAsync(PracticeScenario s, Touchpoint touchpoint, Action<Touchpoint> change)
    {
        var tracked = await s.Db.Touchpoints.SingleAsync(t => t.Id == touchpoint.Id);
        change(tracked);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
    }

    private static async Task RemoveFromTeamAsync(PracticeScenario s, Common.HouseholdId household, string handle)
    {
        var rows = await s.Db.TeamAssignments.Where(a => a.HouseholdId == household && a.StaffId == s.Staff[handle]).ToListAsync();
        s.Db.TeamAssignments.RemoveRange(rows);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
    }
}
