using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Practice;
using Ensemble.Storage.Communications.Notifications;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Notifications;

/// <summary>
/// Staff emails on the builder's firm: carol (CSA) gets the first step of every account review. Reviews started on
/// Tuesday 24 November are due Friday 27th (Thanksgiving is a holiday); on Monday 30th they are overdue and those
/// started on Wednesday 25th are due that day.
/// </summary>
public sealed class StaffEmailsTests
{
    private static readonly Instant MondayMorning = Instant.FromUtc(2026, 11, 30, 14, 0);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DailyDigest_QueuesOneEmailPerPersonWithWorkDue_WithTheirOverdueAndTodaysWork(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 3, ("account-review.yaml", Templates.AccountReview));
        await StartReviewAsync(firm, 0);
        firm.Clock.Reset(Instant.FromUtc(2026, 11, 25, 15, 0));
        await StartReviewAsync(firm, 1);
        firm.Clock.Reset(MondayMorning);

        var report = await new StaffEmails(firm.Db, firm.Clock).QueueDailyDigestsAsync();

        Assert.NotNull(report);
        Assert.Equal(1, report.Digests);
        var email = await firm.Db.Outbox.SingleAsync(m => m.Kind == StaffEmails.DigestKind);
        Assert.Equal((firm.Staff["carol"], "carol@test.example", DeliveryChannel.Email), (email.StaffId!.Value, email.Address, email.Channel));
        Assert.Equal(StaffEmails.DigestKey(firm.Staff["carol"], new LocalDate(2026, 11, 30)), email.Key);
        Assert.Equal("Your day, Mon 30 Nov: 1 overdue, 1 due today", email.Subject);
        Assert.Contains("Gather statements — Account Review, Household 1 (due Fri 27 Nov)", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("Gather statements — Account Review, Household 2", email.TextBody, StringComparison.Ordinal);
        Assert.Null(email.HouseholdId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DailyDigest_RunsOncePerFirmDay_EvenFromTwoNodes(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1, ("account-review.yaml", Templates.AccountReview));
        await StartReviewAsync(firm, 0);
        firm.Clock.Reset(MondayMorning);
        await using var other = firm.OpenAnother();

        var results = await Task.WhenAll(
            new StaffEmails(firm.Db, firm.Clock).QueueDailyDigestsAsync(),
            new StaffEmails(other, firm.Clock).QueueDailyDigestsAsync());
        firm.Clock.Advance(Duration.FromHours(3));
        var later = await new StaffEmails(firm.Db, firm.Clock).QueueDailyDigestsAsync();

        Assert.Single(results, r => r is not null);
        Assert.Null(later);
        Assert.Equal(1, await firm.Db.Outbox.CountAsync(m => m.Kind == StaffEmails.DigestKind));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DailyDigest_WaitsForTheMorning_AndSkipsDaysTheFirmIsClosed(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1, ("account-review.yaml", Templates.AccountReview));
        await StartReviewAsync(firm, 0);

        firm.Clock.Reset(Instant.FromUtc(2026, 11, 30, 10, 0)); // 05:00 in New York
        var beforeSix = await new StaffEmails(firm.Db, firm.Clock).QueueDailyDigestsAsync();
        firm.Clock.Reset(Instant.FromUtc(2026, 11, 28, 15, 0)); // Saturday
        var saturday = await new StaffEmails(firm.Db, firm.Clock).QueueDailyDigestsAsync();

        Assert.Null(beforeSix);
        Assert.Null(saturday);
        Assert.Equal(0, await firm.Db.Outbox.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DailyDigest_HonoursPreferences_AndSkipsAndCountsThoseWithoutAnEmailAddress(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1, ("account-review.yaml", Templates.AccountReview));
        var household = firm.Households[0];
        await StartReviewAsync(firm, 0);
        firm.Clock.Reset(MondayMorning);
        await AddAlertAsync(firm, household, MondayMorning - Duration.FromHours(12));
        await new NotificationPreferencesStore(firm.Db).SetAsync(firm.Staff["carol"], false, null, null, "carol");
        await new NotificationPreferencesStore(firm.Db).SetAsync(firm.Staff["dan"], null, null, false, "dan");
        await ClearEmailAsync(firm, "alice");

        var report = await new StaffEmails(firm.Db, firm.Clock).QueueDigestsAsync(new LocalDate(2026, 11, 30), null);

        // alice (paraplanner, no address) would be told of the alert; bob is only a backup; carol turned digests off; dan
        // turned alerts off and has no work due; erin is a backup too.
        Assert.Equal((0, 1, 1), (report.Digests, report.DigestsOff, report.NoEmailAddress));
        Assert.Equal(0, await firm.Db.Outbox.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DailyDigest_TellsTheHouseholdsTeamOfNewAlerts_NotTheBackups(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        firm.Clock.Reset(MondayMorning);
        await AddAlertAsync(firm, firm.Households[0], MondayMorning - Duration.FromHours(2));
        await AddAlertAsync(firm, firm.Households[0], MondayMorning - Duration.FromDays(3));

        var report = await new StaffEmails(firm.Db, firm.Clock).QueueDigestsAsync(new LocalDate(2026, 11, 30), MondayMorning - Duration.FromDays(1));

        var to = await firm.Db.Outbox.Select(m => m.Address).OrderBy(a => a).ToListAsync();
        Assert.Equal(["alice@test.example", "carol@test.example", "dan@test.example"], to);
        Assert.Equal(3, report.Digests);
        var subject = await firm.Db.Outbox.Select(m => m.Subject).FirstAsync();
        Assert.Equal("Your day, Mon 30 Nov: 1 new alert", subject);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MeetingReminders_AreEmailedOnceWhenTheyShow_AndMarkedEmailed(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var now = firm.Clock.GetCurrentInstant();
        var due = await AddReminderAsync(firm, "alice", now - Duration.FromMinutes(5));
        var later = await AddReminderAsync(firm, "alice", now + Duration.FromHours(1));
        var stale = await AddReminderAsync(firm, "alice", now - Duration.FromDays(2));

        var first = await new StaffEmails(firm.Db, firm.Clock).QueueRemindersAsync();
        var again = await new StaffEmails(firm.Db, firm.Clock).QueueRemindersAsync();

        Assert.Equal((1, 0), (first.Reminders, again.Reminders));
        var email = await firm.Db.Outbox.SingleAsync();
        Assert.Equal((StaffEmails.ReminderKey(due), StaffEmails.ReminderKind, "alice@test.example"), (email.Key, email.Kind, email.Address));
        Assert.Equal("Reminder: Annual review, Household 1 — Tue 1 Dec 10:00", email.Subject);
        Assert.Equal(firm.Households[0], email.HouseholdId);
        var emailed = await firm.Db.Notifications.Where(n => n.EmailedAt != null).Select(n => n.Id).ToListAsync();
        Assert.Equal([due], emailed);
        Assert.DoesNotContain(later, emailed);
        Assert.DoesNotContain(stale, emailed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MeetingReminders_HonourPreferences_AndSkipThoseWithoutAnAddress(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var now = firm.Clock.GetCurrentInstant();
        await AddReminderAsync(firm, "alice", now - Duration.FromMinutes(5));
        await AddReminderAsync(firm, "bob", now - Duration.FromMinutes(5));
        var carols = await AddReminderAsync(firm, "carol", now - Duration.FromMinutes(5));
        await new NotificationPreferencesStore(firm.Db).SetAsync(firm.Staff["alice"], null, false, null, "alice");
        await ClearEmailAsync(firm, "bob");

        var report = await new StaffEmails(firm.Db, firm.Clock).QueueRemindersAsync();

        Assert.Equal((1, 1, 1), (report.Reminders, report.RemindersOff, report.NoEmailAddress));
        Assert.Equal(StaffEmails.ReminderKey(carols), await firm.Db.Outbox.Select(m => m.Key).SingleAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MeetingReminders_FromTwoNodesAtOnce_AreEmailedOnce(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var now = firm.Clock.GetCurrentInstant();
        for (var i = 0; i < 20; i++)
        {
            await AddReminderAsync(firm, i % 2 == 0 ? "alice" : "dan", now - Duration.FromMinutes(i + 1));
        }

        await using var other = firm.OpenAnother();
        var reports = await Task.WhenAll(
            new StaffEmails(firm.Db, firm.Clock).QueueRemindersAsync(),
            new StaffEmails(other, firm.Clock).QueueRemindersAsync());

        Assert.Equal(20, reports.Sum(r => r.Reminders));
        Assert.Equal(20, await firm.Db.Outbox.CountAsync());
        Assert.Equal(20, await firm.Db.Notifications.CountAsync(n => n.EmailedAt != null));
    }

    private static async Task StartReviewAsync(FirmBuilder firm, int household)
    {
        var started = await new WorkService(firm.Db, firm.Clock).StartAsync("account-review", firm.Households[household], new Dictionary<string, LocalDate>(), "test");
        Assert.True(started.IsSuccess, started.Error?.Message);
        firm.Db.ChangeTracker.Clear();
    }

    private static async Task AddAlertAsync(FirmBuilder firm, HouseholdId household, Instant raisedAt)
    {
        firm.Db.Alerts.Add(new Alert(household, $"test.rule-{Guid.NewGuid():N}"[..30], "now", "test.type", "{}", raisedAt));
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
    }

    private static async Task<long> AddReminderAsync(FirmBuilder firm, string handle, Instant showAt)
    {
        var notice = new StaffNotification($"test:{Guid.NewGuid():N}", firm.Staff[handle], "meeting-reminder", "Annual review, Household 1 — Tue 1 Dec 10:00", "/households/HH-00001", showAt, firm.Households[0]);
        firm.Db.Notifications.Add(notice);
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
        return notice.Id;
    }

    private static async Task ClearEmailAsync(FirmBuilder firm, string handle)
    {
        await firm.Db.Database.ExecuteSqlRawAsync("UPDATE staff SET email = '' WHERE handle = {0}", handle);
    }
}
