using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Calendar;
using NodaTime;

namespace Ensemble.Tests.ServiceModel.Calendar;

public sealed class CalendarPlannerTests
{
    private static readonly StaffId Dan = new(4);
    private static readonly StaffId Erin = new(5);
    private static readonly BusinessCalendar Us = BusinessCalendar.UsDefault;
    private static readonly LocalDate LaidOutOn = new(2026, 11, 30);

    private static CalendarHousehold Household(long id, ServiceTier tier, int? reviewMonth = 3, StaffId? advisor = null) =>
        new(new HouseholdId(id), tier, reviewMonth, advisor ?? Dan);

    private static CalendarRequest Request(
        IReadOnlyList<CalendarHousehold> households,
        IReadOnlyList<BookedMeeting>? existing = null,
        IReadOnlyList<CalendarAdvisor>? advisors = null,
        IReadOnlyDictionary<HouseholdId, IReadOnlyList<TopicUse>>? topics = null,
        ServiceSettings? settings = null,
        LocalDate? notBefore = null,
        int year = 2027) =>
        new(year, households, settings ?? ServiceSettings.Default, Us,
            advisors ?? [new CalendarAdvisor(Dan, "dan", true, []), new CalendarAdvisor(Erin, "erin", true, [])],
            existing ?? [], topics ?? new Dictionary<HouseholdId, IReadOnlyList<TopicUse>>(), notBefore ?? LaidOutOn);

    private static IEnumerable<BookedMeeting> AsBooked(IEnumerable<PlannedTouchpoint> placed) =>
        placed.Select(p => new BookedMeeting(p.HouseholdId, p.Year, p.Sequence, p.AdvisorId, p.StartsAt, p.Minutes, TouchpointStatus.Planned));

    [Fact]
    public void ATierAHousehold_GetsItsFourMeetings_InTheMonthsTheTierNames_OnBusinessDaysInsideTheMeetingDay()
    {
        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.A)]));

        Assert.Empty(plan.Unplaced);
        Assert.Equal([1, 2, 3, 4], plan.Placed.Select(p => p.Sequence));
        Assert.Equal([TouchpointKind.Review, TouchpointKind.TopicMeeting, TouchpointKind.ActionItemReview, TouchpointKind.TopicMeeting], plan.Placed.Select(p => p.Kind));
        Assert.Equal([3, 6, 9, 12], plan.Placed.Select(p => p.Date.Month));
        Assert.Equal(["review-meeting", "topic-meeting", "action-item-review", "topic-meeting"], plan.Placed.Select(p => p.Template));
        Assert.Equal([90, 30, 60, 30], plan.Placed.Select(p => p.Minutes));
        Assert.All(plan.Placed, p =>
        {
            Assert.Equal(2027, p.Year);
            Assert.True(Us.IsBusinessDay(p.Date), $"{p.Date} is not a business day");
            Assert.True(p.StartsAt.TimeOfDay >= new LocalTime(9, 0) && p.StartsAt.TimeOfDay.PlusMinutes(p.Minutes) <= new LocalTime(17, 0));
            Assert.Equal(Dan, p.AdvisorId);
        });
    }

    [Fact]
    public void MeetingsAfterALateReview_WrapIntoTheNextCalendarYear_ButBelongToTheReviewsServiceYear()
    {
        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.A, reviewMonth: 11)]));

        Assert.Equal([(2027, 11), (2028, 2), (2028, 5), (2028, 8)], plan.Placed.Select(p => (p.Date.Year, p.Date.Month)));
        Assert.All(plan.Placed, p => Assert.Equal(2027, p.Year));
    }

    [Fact]
    public void AnAdvisorsAbsence_IsAvoided_AndTheMeetingGoesToADayTheyAreIn()
    {
        // Away all of March 2027 except the last two business days (Good Friday, the 26th, is a market holiday).
        var away = new Absence(new LocalDate(2027, 3, 1), new LocalDate(2027, 3, 29), "Sabbatical");
        var households = Enumerable.Range(1, 8).Select(n => Household(n, ServiceTier.C)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households, advisors: [new CalendarAdvisor(Dan, "dan", true, [away])]));

        var reviews = plan.Placed.Where(p => p.Kind == TouchpointKind.Review).ToList();
        Assert.Equal(8, reviews.Count);
        Assert.All(reviews, r => Assert.False(away.Covers(r.Date), $"{r.Date} falls in the absence"));
        Assert.Equal([new LocalDate(2027, 3, 30), new LocalDate(2027, 3, 31)], reviews.Select(r => r.Date).Distinct().Order());
    }

    [Fact]
    public void NoAdvisorEverHasMoreMeetingsADayThanTheLimit_NorTwoAtOnce()
    {
        var households = Enumerable.Range(1, 80).Select(n => Household(n, ServiceTier.B)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households));

        Assert.Empty(plan.Unplaced);
        foreach (var day in plan.Placed.GroupBy(p => p.Date))
        {
            Assert.True(day.Count() <= 4, $"{day.Key}: {day.Count()} meetings");
            var ordered = day.OrderBy(p => p.StartsAt).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i - 1].StartsAt.PlusMinutes(ordered[i - 1].Minutes) <= ordered[i].StartsAt, $"{day.Key}: meetings overlap");
            }
        }
    }

    [Fact]
    public void MeetingsSpreadAcrossTheMonth_RatherThanFillingItsFirstDays()
    {
        var households = Enumerable.Range(1, 40).Select(n => Household(n, ServiceTier.C)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households));

        var reviewDays = plan.Placed.Where(p => p.Kind == TouchpointKind.Review).GroupBy(p => p.Date).ToList();
        Assert.True(reviewDays.Count >= 15, $"40 reviews on only {reviewDays.Count} days");
        Assert.Contains(reviewDays, d => d.Key.Day > 20);
    }

    [Fact]
    public void WhenAMonthIsFull_TheRestArePlaced_AndTheOthersAreReturnedWithAReasonAPersonUnderstands()
    {
        // At 4 a day: March 2027 has 22 business days (Good Friday is closed), 88 meetings; September 21 (Labor Day), 84.
        var households = Enumerable.Range(1, 90).Select(n => Household(n, ServiceTier.C)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households));

        Assert.Equal(88, plan.Placed.Count(p => p.Kind == TouchpointKind.Review));
        Assert.Equal(84, plan.Placed.Count(p => p.Kind == TouchpointKind.TopicMeeting));
        Assert.Equal(2, plan.Unplaced.Count(u => u.Kind == TouchpointKind.Review));
        Assert.Equal(6, plan.Unplaced.Count(u => u.Kind == TouchpointKind.TopicMeeting));
        Assert.All(plan.Unplaced.Where(u => u.Kind == TouchpointKind.Review), u =>
            Assert.Equal("dan has no free slot in March 2027: the 4-meetings-a-day limit is reached on every business day dan is in", u.Reason));
        Assert.All(plan.Unplaced.Where(u => u.Kind == TouchpointKind.TopicMeeting), u =>
            Assert.Equal("dan has no free slot in September 2027: the 4-meetings-a-day limit is reached on every business day dan is in", u.Reason));
    }

    [Fact]
    public void AMeetingLongerThanTheFreeTimeOfEveryDay_IsRefused_NamingTheMinutesAndTheWindow()
    {
        var settings = ServiceSettings.Default with { FirstMeetingAt = new LocalTime(9, 0), LastMeetingEndsBy = new LocalTime(9, 45) };

        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.C)], settings: settings));

        var refused = Assert.Single(plan.Unplaced);
        Assert.Equal("dan has no free slot in March 2027: no business day dan is in has 60 free minutes between 09:00 and 09:45", refused.Reason);
        Assert.Single(plan.Placed);
    }

    [Fact]
    public void AMonthThatHasPassed_IsReported_AndLaterMeetingsAreStillPlaced()
    {
        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.C)], notBefore: new LocalDate(2027, 5, 10)));

        var refused = Assert.Single(plan.Unplaced);
        Assert.Equal(1, refused.Sequence);
        Assert.StartsWith("March 2027 has already passed", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(9, Assert.Single(plan.Placed).Date.Month);
    }

    [Fact]
    public void WithoutAnAdvisor_OrWithOneWhoHasLeft_NothingIsPlaced_AndTheReasonSaysWhatToDo()
    {
        var plan = CalendarPlanner.LayOut(Request(
            [new CalendarHousehold(new HouseholdId(1), ServiceTier.C, 3, null), Household(2, ServiceTier.C, advisor: Erin)],
            advisors: [new CalendarAdvisor(Erin, "erin", false, [])]));

        Assert.Empty(plan.Placed);
        Assert.Contains(plan.Unplaced, u => u.HouseholdId == new HouseholdId(1) && u.Reason.Contains("no advisor", StringComparison.Ordinal));
        Assert.Contains(plan.Unplaced, u => u.HouseholdId == new HouseholdId(2) && u.Reason == "erin has left the firm: give the household another wealth partner");
    }

    [Fact]
    public void LayingOutAgain_WithWhatIsThere_AddsNothing()
    {
        var households = Enumerable.Range(1, 30).Select(n => Household(n, n % 3 == 0 ? ServiceTier.A : ServiceTier.B)).ToList();
        var first = CalendarPlanner.LayOut(Request(households));

        var again = CalendarPlanner.LayOut(Request(households, existing: AsBooked(first.Placed).ToList()));

        Assert.Empty(again.Placed);
        Assert.Empty(again.Unplaced);
        Assert.Equal(first.Placed.Count, again.AlreadyThere);
    }

    [Fact]
    public void MeetingsAlreadyBooked_CountAgainstTheDailyLimit_AndMissingOnesAreAdded()
    {
        // Every business day of March 2027 already holds four meetings of other households: reviews cannot go there.
        var booked = new List<BookedMeeting>();
        var id = 1000;
        for (var day = new LocalDate(2027, 3, 1); day.Month == 3; day = day.PlusDays(1))
        {
            for (var n = 0; n < 4 && Us.IsBusinessDay(day); n++)
            {
                booked.Add(new BookedMeeting(new HouseholdId(id++), 2027, 2, Dan, day.At(new LocalTime(9 + (2 * n), 0)), 30, TouchpointStatus.Planned));
            }
        }

        // A cancelled meeting frees its place again.
        booked[0] = booked[0] with { Status = TouchpointStatus.Cancelled };

        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.C), Household(2, ServiceTier.C)], existing: booked));

        var review = Assert.Single(plan.Placed, p => p.Kind == TouchpointKind.Review);
        Assert.Equal(booked[0].StartsAt, review.StartsAt);
        Assert.Single(plan.Unplaced);
        Assert.Equal(2, plan.Placed.Count(p => p.Kind == TouchpointKind.TopicMeeting));
    }

    [Fact]
    public void AReviewBookedByHand_AnchorsTheRestOfTheYear_AndIsNotBookedAgain()
    {
        var review = new BookedMeeting(new HouseholdId(1), 2027, 1, Dan, new LocalDateTime(2027, 5, 12, 14, 0), 90, TouchpointStatus.Held);

        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.C, reviewMonth: 3)], existing: [review]));

        Assert.Equal(1, plan.AlreadyThere);
        var topic = Assert.Single(plan.Placed);
        Assert.Equal((2027, 11), (topic.Date.Year, topic.Date.Month));
    }

    [Fact]
    public void TopicMeetings_DrawATopicNotUsedWithTheHouseholdInTheLastTwoYears()
    {
        var topics = ServiceSettings.Default.Topics;
        var recent = topics.Take(topics.Count - 2).Select((t, i) => new TopicUse(t.Key, new LocalDate(2026, 1, 5).PlusDays(i))).ToList();
        var history = new Dictionary<HouseholdId, IReadOnlyList<TopicUse>> { [new HouseholdId(1)] = recent };

        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.A)], topics: history));

        var chosen = plan.Placed.Where(p => p.Kind == TouchpointKind.TopicMeeting).Select(p => p.Topic).ToList();
        Assert.Equal(2, chosen.Count);
        Assert.Equal(topics.TakeLast(2).Select(t => t.Key).Order(), chosen.Order());
        Assert.All(plan.Placed, p => Assert.Null(p.TopicNote));
    }

    [Fact]
    public void ATopicUsedMoreThanTwoYearsAgo_MayComeBack()
    {
        var topics = ServiceSettings.Default.Topics;
        var uses = topics.Select(t => new TopicUse(t.Key, new LocalDate(2026, 2, 1))).ToList();
        uses[3] = uses[3] with { On = new LocalDate(2024, 1, 10) };
        var history = new Dictionary<HouseholdId, IReadOnlyList<TopicUse>> { [new HouseholdId(1)] = uses };

        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.C)], topics: history));

        var meeting = Assert.Single(plan.Placed, p => p.Kind == TouchpointKind.TopicMeeting);
        Assert.Equal(topics[3].Key, meeting.Topic);
        Assert.Null(meeting.TopicNote);
    }

    [Fact]
    public void WhenEveryTopicWasUsed_TheLeastRecentlyUsedIsChosen_AndThePlanSaysSo()
    {
        var topics = ServiceSettings.Default.Topics;
        var uses = topics.Select((t, i) => new TopicUse(t.Key, new LocalDate(2026, 3, 1).PlusDays(i))).ToList();
        uses[5] = uses[5] with { On = new LocalDate(2025, 12, 1) };
        var history = new Dictionary<HouseholdId, IReadOnlyList<TopicUse>> { [new HouseholdId(1)] = uses };

        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.C)], topics: history));

        var meeting = Assert.Single(plan.Placed, p => p.Kind == TouchpointKind.TopicMeeting);
        Assert.Equal(topics[5].Key, meeting.Topic);
        Assert.Contains("least recently used", meeting.TopicNote, StringComparison.Ordinal);
        Assert.Contains(topics[5].Title, meeting.TopicNote, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTwoTopicMeetingsOfATierAYear_HaveDifferentTopics()
    {
        var households = Enumerable.Range(1, 50).Select(n => Household(n, ServiceTier.A)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households));

        foreach (var household in plan.Placed.Where(p => p.Kind == TouchpointKind.TopicMeeting).GroupBy(p => p.HouseholdId))
        {
            Assert.Equal(2, household.Select(p => p.Topic).Distinct().Count());
        }

        Assert.True(plan.Placed.Select(p => p.Topic).Distinct().Count() > 5, "every household got the same few topics");
    }

    [Fact]
    public void UnsegmentedHouseholds_GetNoCalendar_AndAreCounted()
    {
        var plan = CalendarPlanner.LayOut(Request([Household(1, ServiceTier.Unsegmented), Household(2, ServiceTier.C, reviewMonth: null)]));

        Assert.Equal(1, plan.Unsegmented);
        Assert.All(plan.Placed, p => Assert.Equal(new HouseholdId(2), p.HouseholdId));
        Assert.False(plan.AssignedReviewMonths.ContainsKey(new HouseholdId(1)));
    }

    [Fact]
    public void HouseholdsWithoutAReviewMonth_GetMonthsThatBalanceTheirAdvisorsYear()
    {
        var households = Enumerable.Range(1, 120).Select(n => Household(n, ServiceTier.C, reviewMonth: null)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households));

        Assert.Equal(120, plan.AssignedReviewMonths.Count);
        Assert.Equal(12, plan.AssignedReviewMonths.Values.Distinct().Count());
        var meetingsPerMonth = plan.Placed.GroupBy(p => p.Date.Month).Select(g => g.Count()).ToList();
        Assert.True(meetingsPerMonth.Max() - meetingsPerMonth.Min() <= 2, $"meetings per month: {string.Join(", ", meetingsPerMonth)}");
    }

    [Fact]
    public void ReviewMonthsAreBalancedPerAdvisor_AroundTheMonthsTheirOtherHouseholdsAlreadyUse()
    {
        // Dan's 24 households all review in March; the 24 new ones go elsewhere.
        var households = Enumerable.Range(1, 24).Select(n => Household(n, ServiceTier.C, reviewMonth: 3))
            .Concat(Enumerable.Range(25, 24).Select(n => Household(n, ServiceTier.C, reviewMonth: null)))
            .ToList();

        var plan = CalendarPlanner.LayOut(Request(households));

        Assert.DoesNotContain(3, plan.AssignedReviewMonths.Values);
        Assert.DoesNotContain(9, plan.AssignedReviewMonths.Values);
    }

    [Fact]
    public void ReviewMonthsAvoidMonthsAnAdvisorIsMostlyAway()
    {
        // Dan is away most of July and all of August: the months whose meetings land there are given out last.
        var away = new[] { new Absence(new LocalDate(2027, 7, 6), new LocalDate(2027, 8, 31), "Long leave") };
        var households = Enumerable.Range(1, 60).Select(n => Household(n, ServiceTier.C, reviewMonth: null)).ToList();

        var plan = CalendarPlanner.LayOut(Request(households, advisors: [new CalendarAdvisor(Dan, "dan", true, away)]));

        Assert.Empty(plan.Unplaced);
        Assert.DoesNotContain(plan.Placed, p => p.Date.Month == 8);
        Assert.True(plan.Placed.Count(p => p.Date.Month == 7) <= 2);
    }

    [Fact]
    public void TheNextMeeting_IsTheNextOfTheTiersYear_OrNextYearsReviewWhenTheYearIsDone()
    {
        var settings = ServiceSettings.Default;

        Assert.Equal((2027, 2, TouchpointKind.TopicMeeting), Describe(CalendarPlanner.NextOf(settings, ServiceTier.A, 2027, 1)));
        Assert.Equal((2028, 1, TouchpointKind.Review), Describe(CalendarPlanner.NextOf(settings, ServiceTier.A, 2027, 4)));
        Assert.Equal((2028, 1, TouchpointKind.Review), Describe(CalendarPlanner.NextOf(settings, ServiceTier.C, 2027, 2)));
        Assert.Null(CalendarPlanner.NextOf(settings, ServiceTier.Unsegmented, 2027, 1));

        static (int, int, TouchpointKind) Describe(NextMeeting? next) => (next!.Year, next.Sequence, next.Plan.Kind);
    }

    [Fact]
    public void PlaceNext_PutsNextYearsReviewInTheReviewMonth_AroundWhatIsBooked()
    {
        var household = Household(1, ServiceTier.C, reviewMonth: 3);

        var next = CalendarPlanner.PlaceNext(Request([household]), household, 2027, 2);

        var placed = next!.Placed!;
        Assert.Equal((2028, 1, TouchpointKind.Review), (placed.Year, placed.Sequence, placed.Kind));
        Assert.Equal((2028, 3), (placed.Date.Year, placed.Date.Month));
    }

    [Fact]
    public void AFirmOfThirtyThousandHouseholds_IsLaidOutWithinEveryAdvisorsLimit()
    {
        var advisors = Enumerable.Range(1, 100).Select(n => new CalendarAdvisor(new StaffId(n), $"wp{n}", true, [])).ToList();
        var tiers = new[] { ServiceTier.A, ServiceTier.B, ServiceTier.B, ServiceTier.C, ServiceTier.C, ServiceTier.Unsegmented };
        var households = Enumerable.Range(1, 30_000)
            .Select(n => new CalendarHousehold(new HouseholdId(n), tiers[n % tiers.Length], null, new StaffId((n % 100) + 1)))
            .ToList();

        var plan = CalendarPlanner.LayOut(Request(households, advisors: advisors));

        Assert.Empty(plan.Unplaced);
        Assert.Equal(5_000, plan.Unsegmented);
        Assert.Equal((5_000 * 4) + (10_000 * 3) + (10_000 * 2), plan.Placed.Count);
        Assert.All(plan.Placed.GroupBy(p => (p.AdvisorId, p.Date)), day => Assert.True(day.Count() <= 4));
    }
}
