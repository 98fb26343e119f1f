using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.ServiceModel;

/// <summary>
/// The reminder pass over the scenario firm (clock: Tuesday 24 November 2026, 10:00 in New York). The review
/// template below has steps for the paraplanner and the wealth partner, so a review involves its advisor
/// (erin), alice (paraplanner) and dan (wealth partner) — not carol (CSA) and not bob (alice's backup).
/// </summary>
public sealed class MeetingRemindersTests
{
    public const string ReviewTemplate = """
        key: review-meeting
        name: Review Meeting
        category: client-management
        description: Prepares, holds and follows up the annual review.
        owner: wealth-partner
        anchors: [meeting]
        steps:
          - key: prepare
            title: Prepare the review pack
            role: paraplanner
            due: 7 days before meeting
          - key: meet
            title: Hold the review
            role: wealth-partner
            after: [prepare]
            due: on meeting
        """;

    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    /// <summary>Tuesday 1 December 2026, 14:00 in New York: a week away, inside the eight-day horizon.</summary>
    private static readonly LocalDateTime NextTuesday = new(2026, 12, 1, 14, 0);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_AddsAWeekADayAndAnHourReminder_ForEachPersonTheMeetingInvolves(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate));
        var meeting = await AddMeetingAsync(s, NextTuesday);

        var report = await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        Assert.Equal(new ReminderPlanReport(9, 0, 0), report);
        var reminders = await RemindersAsync(s);
        Assert.Equal(["alice", "dan", "erin"], reminders.Select(r => HandleOf(s, r.StaffId)).Distinct().Order());
        foreach (var person in reminders.GroupBy(r => r.StaffId))
        {
            Assert.Equal(
                [Instant.FromUtc(2026, 11, 24, 19, 0), Instant.FromUtc(2026, 11, 30, 19, 0), Instant.FromUtc(2026, 12, 1, 18, 0)],
                person.Select(r => r.ShowAt).Order());
            Assert.Equal(
                new[] { "day", "hour", "week" }.Select(lead => MeetingReminders.KeyOf(meeting.Id, lead, person.Key)).Order(),
                person.Select(r => r.Key).Order());
        }

        Assert.All(reminders, r =>
        {
            Assert.Equal(MeetingReminders.Kind, r.Kind);
            Assert.Equal("/households/HH-1", r.Link);
            Assert.Equal(s.Household, r.HouseholdId);
            Assert.Equal("Annual review: The Okafor Household — Tue 1 Dec 2026, 14:00", r.Title);
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_RunAgain_AddsNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate));
        await AddMeetingAsync(s, NextTuesday);
        var reminders = new MeetingReminders(s.Db);
        await reminders.PlanAsync(s.Clock.GetCurrentInstant());
        var before = await RemindersAsync(s);

        s.Clock.Advance(Duration.FromMinutes(5));
        await using var other = s.OpenAnother();
        var again = await new MeetingReminders(other).PlanAsync(s.Clock.GetCurrentInstant());

        Assert.Equal(new ReminderPlanReport(0, 0, 0), again);
        var after = await RemindersAsync(s);
        Assert.Equal(before.Select(r => (r.Id, r.Key, r.ShowAt, r.Title)), after.Select(r => (r.Id, r.Key, r.ShowAt, r.Title)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_AfterTheMeetingMoves_MovesItsReminders(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate));
        var meeting = await AddMeetingAsync(s, NextTuesday);
        await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        // Moved to Wednesday 2 December, 9:00.
        var moved = await s.Db.Touchpoints.SingleAsync(t => t.Id == meeting.Id);
        moved.Reschedule(new LocalDateTime(2026, 12, 2, 9, 0), moved.AdvisorId);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        var report = await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        Assert.Equal(new ReminderPlanReport(0, 9, 0), report);
        var reminders = await RemindersAsync(s);
        Assert.Equal(9, reminders.Count);
        Assert.All(reminders.GroupBy(r => r.StaffId), person => Assert.Equal(
            [Instant.FromUtc(2026, 11, 25, 14, 0), Instant.FromUtc(2026, 12, 1, 14, 0), Instant.FromUtc(2026, 12, 2, 13, 0)],
            person.Select(r => r.ShowAt).Order()));
        Assert.All(reminders, r => Assert.EndsWith("Wed 2 Dec 2026, 09:00", r.Title, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_AfterTheMeetingIsCancelled_RemovesTheRemindersNotYetShown(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate));
        var meeting = await AddMeetingAsync(s, NextTuesday);
        await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        // The week reminders show at 14:00; the meeting is called off at 16:00.
        s.Clock.Advance(Duration.FromHours(6));
        var cancelled = await s.Db.Touchpoints.SingleAsync(t => t.Id == meeting.Id);
        cancelled.Cancel("The clients are travelling.");
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        var report = await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        Assert.Equal(new ReminderPlanReport(0, 0, 6), report);
        var left = await RemindersAsync(s);
        Assert.Equal(3, left.Count);
        Assert.All(left, r => Assert.StartsWith($"meeting:{meeting.Id.Value}:week:", r.Key, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_ForAMeetingBookedThreeDaysAhead_ShowsTheWeekReminderNow(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate));
        await AddMeetingAsync(s, new LocalDateTime(2026, 11, 27, 11, 0));
        var now = s.Clock.GetCurrentInstant();

        var report = await new MeetingReminders(s.Db).PlanAsync(now);

        Assert.Equal(9, report.Added);
        var reminders = await RemindersAsync(s);
        Assert.All(reminders.Where(r => r.Key.Contains(":week:", StringComparison.Ordinal)), r => Assert.Equal(now, r.ShowAt));
        Assert.All(reminders.Where(r => r.Key.Contains(":day:", StringComparison.Ordinal)), r => Assert.Equal(Instant.FromUtc(2026, 11, 26, 16, 0), r.ShowAt));
        Assert.All(reminders.Where(r => r.Key.Contains(":hour:", StringComparison.Ordinal)), r => Assert.Equal(Instant.FromUtc(2026, 11, 27, 15, 0), r.ShowAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_ForAMeetingWithAProcess_RemindsTheRolesOfThatProcessVersion(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate), Templates.File(Templates.AccountReview));
        var started = await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "admin");
        Assert.True(started.IsSuccess, started.Error?.Message);
        var meeting = await AddMeetingAsync(s, NextTuesday, advisor: null);
        var attached = await s.Db.Touchpoints.SingleAsync(t => t.Id == meeting.Id);
        attached.AttachProcess(started.Value.Instance.Id);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();

        await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        // account-review has steps for the CSA, the paraplanner and the wealth partner.
        Assert.Equal(["alice", "carol", "dan"], (await RemindersAsync(s)).Select(r => HandleOf(s, r.StaffId)).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_MeetingsBeyondTheHorizonOrAlreadyStarted_GetNoReminders(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(ReviewTemplate));
        await AddMeetingAsync(s, new LocalDateTime(2026, 12, 10, 10, 0));
        await AddMeetingAsync(s, new LocalDateTime(2026, 11, 24, 9, 30), sequence: 2);

        var report = await new MeetingReminders(s.Db).PlanAsync(s.Clock.GetCurrentInstant());

        Assert.Equal(new ReminderPlanReport(0, 0, 0), report);
        Assert.Empty(await RemindersAsync(s));
    }

    internal static async Task<Touchpoint> AddMeetingAsync(PracticeScenario s, LocalDateTime startsAt, string? advisor = "erin", int sequence = 1, HouseholdId? household = null)
    {
        var touchpoint = new Touchpoint(household ?? s.Household, 2026, sequence, TouchpointKind.Review, startsAt, 90, advisor is null ? null : s.Staff[advisor], null);
        s.Db.Actor = "admin";
        s.Db.Operation = "test-setup";
        s.Db.Touchpoints.Add(touchpoint);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        return touchpoint;
    }

    private static Task<List<StaffNotification>> RemindersAsync(PracticeScenario s) =>
        s.Db.Notifications.AsNoTracking().Where(n => n.Kind == MeetingReminders.Kind).OrderBy(n => n.Id).ToListAsync();

    private static string HandleOf(PracticeScenario s, StaffId id) => s.Staff.Single(p => p.Value == id).Key;

    [Fact]
    public void Due_KeepsTheWallClockTimeForWeekAndDayAcrossAClockChange()
    {
        // Sunday 8 March 2026 the clocks in New York go forward: a Monday 10:00 meeting is reminded on Monday 2 March at 10:00 EST.
        var monday = new LocalDateTime(2026, 3, 9, 10, 0);

        Assert.Equal(Instant.FromUtc(2026, 3, 2, 15, 0), MeetingReminders.Due(monday, "week", NewYork));
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 14, 0), MeetingReminders.Due(monday, "day", NewYork));
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 13, 0), MeetingReminders.Due(monday, "hour", NewYork));
    }
}
