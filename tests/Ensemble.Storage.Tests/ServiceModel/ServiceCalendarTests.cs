using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.ServiceModel;

/// <summary>
/// Laying out a service year on a real database: meetings stored, their processes started with tasks dated
/// around each meeting, a second run adding nothing; meetings marked held (with the next one proposed and
/// booked) and cancelled (with their processes). The scenario's clock reads 24 November 2026; the year laid
/// out is 2027, and HH-1's wealth partner is dan.
/// </summary>
public sealed class ServiceCalendarTests
{
    private const int Year = 2027;

    /// <summary>The three meeting processes of the built-in library, as the firm starts with them.</summary>
    private static readonly (string, string)[] Library = BuiltInLibrary.Texts()
        .Where(t => t.Name.EndsWith("/review-meeting.yaml", StringComparison.Ordinal)
            || t.Name.EndsWith("/topic-meeting.yaml", StringComparison.Ordinal)
            || t.Name.EndsWith("/action-item-review.yaml", StringComparison.Ordinal))
        .ToArray();

    private static readonly BusinessCalendar Us = BusinessCalendar.UsDefault;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LayingOutAYear_StoresEachMeeting_AndStartsItsProcess_WithTasksDatedAroundTheMeeting(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.A, reviewMonth: 3);

        var report = Ok(await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, (string?)null, "erin"));

        Assert.Equal((1, 4, 0, 4, 0), (report.Households, report.Placed, report.AlreadyThere, report.ProcessesStarted, report.Unsegmented));
        Assert.Empty(report.Unplaced);
        var meetings = await s.Db.Touchpoints.AsNoTracking().OrderBy(t => t.Sequence).ToListAsync();
        Assert.Equal([TouchpointKind.Review, TouchpointKind.TopicMeeting, TouchpointKind.ActionItemReview, TouchpointKind.TopicMeeting], meetings.Select(m => m.Kind));
        Assert.Equal([3, 6, 9, 12], meetings.Select(m => m.Date.Month));
        Assert.All(meetings, m =>
        {
            Assert.Equal(s.Staff["dan"], m.AdvisorId);
            Assert.True(Us.IsBusinessDay(m.Date));
            Assert.NotNull(m.InstanceId);
        });
        Assert.All(meetings.Where(m => m.Kind == TouchpointKind.TopicMeeting), m => Assert.Contains(m.Topic, ServiceSettings.Default.Topics.Select(t => t.Key)));

        var review = meetings[0];
        var process = await s.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync(i => i.Id == review.InstanceId);
        Assert.Equal("review-meeting", process.TemplateKey);
        Assert.Equal(review.Date, process.Anchors["meeting"]);
        var reminder = process.Tasks.Single(t => t.StepKey == "remind-week-before");
        Assert.Equal(Us.OnOrBefore(review.Date.PlusDays(-7)), reminder.DueOn);
        var accounts = process.Tasks.Single(t => t.StepKey == "verify-linked-accounts");
        Assert.Equal(Us.AddBusinessDays(review.Date, -5), accounts.DueOn);
        Assert.Equal(s.Staff["alice"], accounts.AssigneeId);

        var topic = await s.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync(i => i.Id == meetings[1].InstanceId);
        Assert.Equal("topic-meeting", topic.TemplateKey);
        Assert.Equal(Us.AddBusinessDays(meetings[1].Date, -10), topic.Tasks.Single(t => t.StepKey == "confirm-topic").DueOn);
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LayingOutTheSameYearAgain_AddsNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.B, reviewMonth: 5);
        var calendar = new ServiceCalendar(s.Db, s.Clock);
        Ok(await calendar.LayOutAsync(Year, (string?)null, "erin"));
        var before = (await s.Db.Touchpoints.CountAsync(), await s.Db.Instances.CountAsync(), await s.Db.Tasks.CountAsync());

        var again = Ok(await calendar.LayOutAsync(Year, (string?)null, "erin"));

        Assert.Equal((0, 3, 0), (again.Placed, again.AlreadyThere, again.ProcessesStarted));
        Assert.Equal(before, (await s.Db.Touchpoints.CountAsync(), await s.Db.Instances.CountAsync(), await s.Db.Tasks.CountAsync()));
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AMeetingWhoseProcessDidNotStart_GetsItOnTheNextRun(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.C, reviewMonth: 4);
        s.Db.Actor = "erin";
        s.Db.Touchpoints.Add(new Touchpoint(s.Household, Year, 1, TouchpointKind.Review, new LocalDateTime(2027, 4, 14, 10, 0), 60, s.Staff["dan"], null));
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();

        var report = Ok(await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, (string?)null, "erin"));

        Assert.Equal((1, 1, 2), (report.Placed, report.AlreadyThere, report.ProcessesStarted));
        var review = await s.Db.Touchpoints.AsNoTracking().SingleAsync(t => t.Sequence == 1);
        var process = await s.Db.Instances.AsNoTracking().SingleAsync(i => i.Id == review.InstanceId);
        Assert.Equal(new LocalDate(2027, 4, 14), process.Anchors["meeting"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AHouseholdWithoutAReviewMonth_IsGivenOne_AndItIsSavedOnTheHousehold(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.C, reviewMonth: null);

        var report = Ok(await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, (string?)null, "erin"));

        Assert.Equal(1, report.ReviewMonthsAssigned);
        var month = await s.Db.Households.AsNoTracking().Where(h => h.Id == s.Household).Select(h => h.ReviewMonth).SingleAsync();
        var review = await s.Db.Touchpoints.AsNoTracking().SingleAsync(t => t.Sequence == 1);
        Assert.Equal(review.Date.Month, month);
        var audited = await new AuditTrail(s.Db).RecentAsync(s.Household.Value, nameof(Household), s.Household.ToString(), 1);
        Assert.Contains("ReviewMonth", Assert.Single(audited).After, StringComparison.Ordinal);
        Assert.Equal("erin", audited[0].Actor);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task UnsegmentedHouseholdsAndProspects_GetNoCalendar(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect);

        // HH-1 has no stored tier, and its one known fact (investable assets) puts it in no tier.
        var report = Ok(await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, (string?)null, "erin"));

        Assert.Equal((1, 1, 0), (report.Households, report.Unsegmented, report.Placed));
        Assert.Equal(0, await s.Db.Touchpoints.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WhatCannotBePlaced_IsReportedWithTheHouseholdAndWhy_AndTheRestIsPlaced(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.C, reviewMonth: 3);
        await new StaffDirectory(s.Db, s.Clock).MarkAwayAsync("dan", new LocalDate(2027, 3, 1), new LocalDate(2027, 3, 31), "Sabbatical", "erin");

        var report = Ok(await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, (string?)null, "erin"));

        var line = Assert.Single(report.Unplaced);
        Assert.Equal(("HH-1", 1, TouchpointKind.Review), (line.HouseholdKey, line.Sequence, line.Kind));
        Assert.Equal("dan is away on every business day of March 2027 still open for meetings", line.Reason);
        Assert.Equal(1, report.Placed);
        Assert.Equal(9, (await s.Db.Touchpoints.AsNoTracking().SingleAsync()).Date.Month);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LayingOutOneHousehold_LeavesTheOthersAlone(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.C, reviewMonth: 3);
        var other = await s.AddHouseholdAsync("HH-2", LifecycleStage.Client);
        await TierAsync(s, other.Id, ServiceTier.C, reviewMonth: 6);

        var report = Ok(await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, "HH-2", "erin"));

        Assert.Equal((1, 2), (report.Households, report.Placed));
        Assert.All(await s.Db.Touchpoints.AsNoTracking().ToListAsync(), t => Assert.Equal(other.Id, t.HouseholdId));
        Assert.Equal(ErrorKind.NotFound, (await new ServiceCalendar(s.Db, s.Clock).LayOutAsync(Year, "HH-404", "erin")).Error!.Kind);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MarkingAMeetingHeld_ProposesTheNextInLineWithTheTier_AndCanBookIt(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.C, reviewMonth: 3);
        var calendar = new ServiceCalendar(s.Db, s.Clock);
        Ok(await calendar.LayOutAsync(Year, (string?)null, "erin"));
        var meetings = await s.Db.Touchpoints.AsNoTracking().OrderBy(t => t.Sequence).ToListAsync();

        // After the review, the year's topic meeting is next, and it is already booked.
        var afterReview = Ok(await calendar.MarkHeldAsync(meetings[0].Id, "Went through the plan.", bookNext: false, "dan"));
        Assert.Equal(TouchpointStatus.Held, afterReview.Held.Status);
        Assert.Equal("Went through the plan.", afterReview.Held.Note);
        Assert.Equal(meetings[1].Id.Value, afterReview.Next!.Booked!.Id);

        // After the year's last meeting, next year's review is proposed in the review month, and booked on request.
        var afterTopic = Ok(await calendar.MarkHeldAsync(meetings[1].Id, null, bookNext: true, "dan"));
        var next = afterTopic.Next!;
        Assert.Equal((2028, 1, TouchpointKind.Review), (next.Year, next.Sequence, next.Kind));
        Assert.Equal((2028, 3), (next.StartsAt!.Value.Year, next.StartsAt.Value.Month));
        var booked = afterTopic.Booked!;
        Assert.Equal(next.StartsAt, booked.StartsAt);
        Assert.NotNull(booked.ProcessId);
        var process = await s.Db.Instances.AsNoTracking().SingleAsync(i => i.Id == new InstanceId(booked.ProcessId!.Value));
        Assert.Equal(booked.Date, process.Anchors["meeting"]);

        // Held once is held: a second mark is refused, and so is cancelling it.
        Assert.Equal(ErrorKind.Conflict, (await calendar.MarkHeldAsync(meetings[0].Id, null, false, "dan")).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, (await calendar.CancelAsync(meetings[0].Id, "Oops", "dan")).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await calendar.MarkHeldAsync(new TouchpointId(987_654), null, false, "dan")).Error!.Kind);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CancellingAMeeting_CancelsItsProcessAndOpenTasks_AndNeedsAReason(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await TierAsync(s, s.Household, ServiceTier.C, reviewMonth: 3);
        var calendar = new ServiceCalendar(s.Db, s.Clock);
        Ok(await calendar.LayOutAsync(Year, (string?)null, "erin"));
        var review = await s.Db.Touchpoints.AsNoTracking().SingleAsync(t => t.Sequence == 1);

        Assert.Equal(ErrorKind.Invalid, (await calendar.CancelAsync(review.Id, " ", "dan")).Error!.Kind);
        var cancelled = Ok(await calendar.CancelAsync(review.Id, "The clients are moving their accounts.", "dan"));

        Assert.Equal(TouchpointStatus.Cancelled, cancelled.Status);
        Assert.Equal("The clients are moving their accounts.", cancelled.Note);
        var process = await s.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync(i => i.Id == review.InstanceId);
        Assert.Equal(InstanceStatus.Cancelled, process.Status);
        Assert.DoesNotContain(process.Tasks, t => t.IsOpen);
        Assert.Equal(ErrorKind.Conflict, (await calendar.CancelAsync(review.Id, "Again", "dan")).Error!.Kind);

        // The cancelled meeting is not booked again by another lay-out.
        Assert.Equal(0, Ok(await calendar.LayOutAsync(Year, (string?)null, "erin")).Placed);
    }

    private static async Task TierAsync(PracticeScenario s, HouseholdId household, ServiceTier tier, int? reviewMonth)
    {
        s.Db.Actor = "erin";
        s.Db.HouseholdTiers.Add(new HouseholdTier(household, tier, [], new LocalDate(2026, 11, 24)));
        var row = await s.Db.Households.SingleAsync(h => h.Id == household);
        row.SetReviewMonth(reviewMonth);
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
    }

    private static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }
}
