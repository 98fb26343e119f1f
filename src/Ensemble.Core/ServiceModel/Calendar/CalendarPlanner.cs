using System.Globalization;
using Ensemble.Common;
using NodaTime;

namespace Ensemble.ServiceModel.Calendar;

/// <summary>
/// Lays out a service year: each tiered household's meetings, from its review month, on business days its
/// advisor is in, at a free time inside the meeting day, within the advisor's daily limit. Pure and
/// deterministic: the same request gives the same plan.
/// </summary>
/// <remarks>
/// Each meeting has a preferred day derived from the household and the meeting's place in the year, so an
/// advisor's meetings spread evenly over the month; when that day is full the rest of the month is tried in
/// turn. The advisors' days are arrays indexed by day, so a firm of 100,000 households is laid out in a
/// fraction of a second. Meetings that cannot be placed are returned with the reason; the rest are placed.
/// </remarks>
public static class CalendarPlanner
{
    /// <summary>Meetings start on the half hour.</summary>
    public const int SlotMinutes = 30;

    public static CalendarPlan LayOut(CalendarRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(request);
        var assigned = run.AssignReviewMonths();

        var placed = new List<PlannedTouchpoint>(request.Households.Count * 3);
        var unplaced = new List<UnplacedTouchpoint>();
        int already = 0, unsegmented = 0;
        foreach (var household in request.Households)
        {
            var plan = request.Settings.PlanFor(household.Tier);
            if (plan.Count == 0)
            {
                unsegmented++;
                continue;
            }

            var anchor = run.AnchorMonth(household, request.Year, assigned);
            var chosenTopics = new List<TopicUse>();
            for (var n = 0; n < plan.Count; n++)
            {
                var sequence = n + 1;
                if (run.Exists(household.Id, request.Year, sequence))
                {
                    already++;
                    continue;
                }

                var outcome = run.Place(household, request.Year, sequence, plan[n], anchor + plan[n].MonthsAfterReview, chosenTopics);
                if (outcome.Placed is { } p)
                {
                    placed.Add(p);
                }
                else
                {
                    unplaced.Add(outcome.Unplaced!);
                }
            }
        }

        return new CalendarPlan(placed, unplaced, already, unsegmented, assigned);
    }

    /// <summary>
    /// Places the one meeting that follows (<paramref name="year"/>, <paramref name="sequence"/>) in the
    /// household's tier: the next of the year's plan, or next year's review when the year is done. Null
    /// when the household is below the service model. The meeting is not checked against existing rows;
    /// the caller looks first whether it is already booked (see <see cref="NextOf"/>).
    /// </summary>
    public static PlacementOutcome? PlaceNext(CalendarRequest request, CalendarHousehold household, int year, int sequence)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(household);
        if (NextOf(request.Settings, household.Tier, year, sequence) is not { } next)
        {
            return null;
        }

        var run = new Run(request);
        var anchor = run.AnchorMonth(household, next.Year, new Dictionary<HouseholdId, int>());
        return run.Place(household, next.Year, next.Sequence, next.Plan, anchor + next.Plan.MonthsAfterReview, []);
    }

    /// <summary>Which meeting follows (<paramref name="year"/>, <paramref name="sequence"/>) for a tier; null for unsegmented households.</summary>
    public static NextMeeting? NextOf(ServiceSettings settings, ServiceTier tier, int year, int sequence)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plan = settings.PlanFor(tier);
        if (plan.Count == 0)
        {
            return null;
        }

        return sequence < plan.Count ? new NextMeeting(year, sequence + 1, plan[sequence]) : new NextMeeting(year + 1, 1, plan[0]);
    }

    /// <summary>"March 2027".</summary>
    public static string MonthName(int year, int month) =>
        new LocalDate(year, month, 1).ToString("MMMM uuuu", CultureInfo.InvariantCulture);

    /// <summary>The state of one planning run: the advisors' books over the window, the business days of each month, the meetings already there.</summary>
    private sealed class Run
    {
        private readonly CalendarRequest _request;
        private readonly LocalDate _windowStart;
        private readonly int _windowStartNumber;
        private readonly int _windowDays;
        private readonly int _notBefore;
        private readonly int _first;
        private readonly int _last;
        private readonly int _limit;
        private readonly Dictionary<StaffId, AdvisorBook> _books = [];
        private readonly Dictionary<int, int[]> _businessDays = [];
        private readonly HashSet<(HouseholdId, int, int)> _existing = [];
        private readonly Dictionary<(HouseholdId, int), int> _existingReviewMonth = [];
        private readonly Dictionary<StaffId, CalendarAdvisor> _advisors;
        private readonly Dictionary<int, int[]> _allBusinessDays = [];
        private AdvisorBook? _nobody;

        public Run(CalendarRequest request)
        {
            _request = request;

            // From the year before to the year after next: the service year's meetings run up to eleven
            // months past its last review month, and meetings already booked around it count too.
            _windowStart = new LocalDate(request.Year - 1, 1, 1);
            _windowStartNumber = _windowStart.ToDateOnly().DayNumber;
            _windowDays = new LocalDate(request.Year + 3, 1, 1).ToDateOnly().DayNumber - _windowStartNumber;
            _notBefore = Math.Max(0, request.NotBefore.ToDateOnly().DayNumber - _windowStartNumber);
            _first = (request.Settings.FirstMeetingAt.Hour * 60) + request.Settings.FirstMeetingAt.Minute;
            _last = (request.Settings.LastMeetingEndsBy.Hour * 60) + request.Settings.LastMeetingEndsBy.Minute;
            _limit = request.Settings.MeetingsPerAdvisorPerDay;
            _advisors = request.Advisors.ToDictionary(a => a.Id);

            foreach (var meeting in request.Existing)
            {
                _existing.Add((meeting.HouseholdId, meeting.Year, meeting.Sequence));
                if (meeting.Sequence == 1)
                {
                    _existingReviewMonth[(meeting.HouseholdId, meeting.Year)] = MonthIndex(meeting.StartsAt.Year, meeting.StartsAt.Month);
                }

                if (meeting.Status == TouchpointStatus.Cancelled || meeting.AdvisorId is not { } advisor)
                {
                    continue;
                }

                var book = Book(advisor);
                var day = DayOf(meeting.StartsAt.Date);
                if (day >= 0 && day < _windowDays)
                {
                    var start = (meeting.StartsAt.Hour * 60) + meeting.StartsAt.Minute;
                    book.Add(day, start, start + meeting.Minutes);
                }

                if (meeting.Year == request.Year)
                {
                    book.MonthLoad[meeting.StartsAt.Month - 1]++;
                }
            }
        }

        public bool Exists(HouseholdId household, int year, int sequence) => _existing.Contains((household, year, sequence));

        /// <summary>The month (as a month index) the household's year counts from: its booked review if there is one, else its review month.</summary>
        public int AnchorMonth(CalendarHousehold household, int year, IReadOnlyDictionary<HouseholdId, int> assigned) =>
            _existingReviewMonth.TryGetValue((household.Id, year), out var booked)
                ? booked
                : MonthIndex(year, household.ReviewMonth ?? assigned.GetValueOrDefault(household.Id, 1));

        /// <summary>
        /// Gives each tiered household without a review month the month that keeps its advisor's year most even.
        /// Meetings are counted per calendar month (the calendar repeats every year, so a meeting that wraps into
        /// next March competes with next year's March reviews) and weighed against the advisor's room in that
        /// month: business days they are in, times the daily limit, so a month with a holiday or an absence takes
        /// fewer. The chosen month is the one whose busiest meeting month is least full afterwards; then the one
        /// with the fewest reviews; then the least full overall; then the first found from a point derived from the
        /// household, so equal households spread out.
        /// </summary>
        public Dictionary<HouseholdId, int> AssignReviewMonths()
        {
            var assigned = new Dictionary<HouseholdId, int>();
            var waiting = new List<(CalendarHousehold Household, IReadOnlyList<TouchpointPlan> Plan)>();
            foreach (var household in _request.Households)
            {
                var plan = _request.Settings.PlanFor(household.Tier);
                if (plan.Count == 0)
                {
                    continue;
                }

                if (household.ReviewMonth is null)
                {
                    waiting.Add((household, plan));
                    continue;
                }

                var book = BookOf(household.AdvisorId);
                var anchor = AnchorMonth(household, _request.Year, assigned);
                book.ReviewLoad[anchor % 12]++;
                for (var n = 0; n < plan.Count; n++)
                {
                    if (!Exists(household.Id, _request.Year, n + 1))
                    {
                        book.MonthLoad[(anchor + plan[n].MonthsAfterReview) % 12]++;
                    }
                }
            }

            var firstMonth = MonthIndex(_request.Year, 1);
            foreach (var (household, plan) in waiting)
            {
                if (_existingReviewMonth.TryGetValue((household.Id, _request.Year), out var booked))
                {
                    // The year's review is already booked (by hand, or proposed after last year's): its month is the answer.
                    assigned[household.Id] = (booked % 12) + 1;
                    continue;
                }

                var book = BookOf(household.AdvisorId);
                var startAt = Spread(household.Id, 0, 12);
                int best = -1, bestReviews = int.MaxValue;
                double bestPeak = double.MaxValue, bestTotal = double.MaxValue;
                for (var i = 0; i < 12; i++)
                {
                    var month = (startAt + i) % 12;
                    double peak = 0, total = 0;
                    foreach (var step in plan)
                    {
                        var at = firstMonth + month + step.MonthsAfterReview;
                        var room = Room(book, at);
                        var fill = room == 0 ? double.MaxValue : (book.MonthLoad[at % 12] + 1) / (double)room;
                        peak = Math.Max(peak, fill);
                        total += room == 0 ? 1e6 : fill;
                    }

                    // Fullness is compared in steps of two per cent (about one meeting a month), so that among months
                    // about as full the one with fewer reviews wins: reviews are the long meetings with the most preparation.
                    var reviews = book.ReviewLoad[month];
                    peak = Math.Ceiling(peak * 50);
                    if (peak < bestPeak || (peak == bestPeak && (reviews < bestReviews || (reviews == bestReviews && total < bestTotal))))
                    {
                        (best, bestPeak, bestTotal, bestReviews) = (month, peak, total, reviews);
                    }
                }

                foreach (var step in plan)
                {
                    book.MonthLoad[(best + step.MonthsAfterReview) % 12]++;
                }

                book.ReviewLoad[best]++;
                assigned[household.Id] = best + 1;
            }

            return assigned;
        }

        /// <summary>
        /// How many meetings an advisor has room for in a month: business days they are in, times the daily limit.
        /// Days already past count, so the months chosen suit the years to come and not only the rest of this one.
        /// </summary>
        private int Room(AdvisorBook book, int monthIndex)
        {
            if (book.Room.TryGetValue(monthIndex, out var room))
            {
                return room;
            }

            var days = AllBusinessDays(monthIndex);
            room = days is null ? 0 : days.Count(d => !book.Away[d]) * _limit;
            book.Room[monthIndex] = room;
            return room;
        }

        /// <summary>Places one meeting in its month, or says why it cannot be.</summary>
        public PlacementOutcome Place(CalendarHousehold household, int year, int sequence, TouchpointPlan step, int monthIndex, List<TopicUse> chosenTopics)
        {
            // Named only in a refusal: formatting a date costs more than placing a meeting.
            string MonthText() => MonthName(monthIndex / 12, (monthIndex % 12) + 1);
            PlacementOutcome Refuse(string reason) => new(null, new UnplacedTouchpoint(household.Id, year, sequence, step.Kind, reason));

            if (household.AdvisorId is not { } advisorId)
            {
                return Refuse("no advisor holds the household's meetings: put a wealth partner (or a financial advisor) on its team");
            }

            var book = Book(advisorId);
            if (!book.Active)
            {
                return Refuse($"{book.Handle} has left the firm: give the household another wealth partner");
            }

            var days = BusinessDays(monthIndex);
            if (days is null)
            {
                return Refuse($"{MonthText()} is outside the years this calendar covers");
            }

            if (days.Length == 0)
            {
                return Refuse($"{MonthText()} has already passed (meetings are placed from {_request.NotBefore.ToString("d MMMM uuuu", CultureInfo.InvariantCulture)})");
            }

            bool anyDayIn = false, anyDayWithRoom = false;
            var preferred = Spread(household.Id, sequence, days.Length);
            for (var i = 0; i < days.Length; i++)
            {
                var day = days[(preferred + i) % days.Length];
                if (book.Away[day])
                {
                    continue;
                }

                anyDayIn = true;
                var meetings = book.Days[day];
                if (meetings is not null && meetings.Count >= _limit)
                {
                    continue;
                }

                anyDayWithRoom = true;
                var start = meetings is null
                    ? MeetingDay.FreeStartOnEmptyDay(step.Minutes, _first, _last)
                    : meetings.FreeStart(step.Minutes, _first, _last, SlotMinutes);
                if (start < 0)
                {
                    continue;
                }

                book.Add(day, start, start + step.Minutes);
                var startsAt = _windowStart.PlusDays(day).At(new LocalTime(start / 60, start % 60));
                var (topic, note) = step.Kind == TouchpointKind.TopicMeeting ? PickTopic(household.Id, sequence, startsAt.Date, chosenTopics) : (null, null);
                return new PlacementOutcome(
                    new PlannedTouchpoint(household.Id, year, sequence, step.Kind, startsAt, step.Minutes, advisorId, step.Template, topic, note),
                    null);
            }

            var who = book.Handle;
            if (!anyDayIn)
            {
                return Refuse($"{who} is away on every business day of {MonthText()} still open for meetings");
            }

            return Refuse(anyDayWithRoom
                ? $"{who} has no free slot in {MonthText()}: no business day {who} is in has {step.Minutes} free minutes between {Clock(_first)} and {Clock(_last)}"
                : $"{who} has no free slot in {MonthText()}: the {_limit}-meetings-a-day limit is reached on every business day {who} is in");
        }

        /// <summary>
        /// A topic not discussed with the household within two years of the meeting (booked ones included),
        /// starting from a point derived from the household so households do not all get the same one; when
        /// every topic was, the one whose last use is longest ago, with a note saying so.
        /// </summary>
        private (string? Topic, string? Note) PickTopic(HouseholdId household, int sequence, LocalDate on, List<TopicUse> chosen)
        {
            var topics = _request.Settings.Topics;
            if (topics.Count == 0)
            {
                return (null, "The topic library is empty; choose a topic by hand.");
            }

            var history = _request.TopicHistory.GetValueOrDefault(household) ?? [];
            var since = on.PlusYears(-2);
            var lastUse = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
            foreach (var use in history.Concat(chosen))
            {
                if (!lastUse.TryGetValue(use.Topic, out var seen) || use.On > seen)
                {
                    lastUse[use.Topic] = use.On;
                }
            }

            var startAt = Spread(household, sequence + 7, topics.Count);
            for (var i = 0; i < topics.Count; i++)
            {
                var topic = topics[(startAt + i) % topics.Count];
                if (!lastUse.TryGetValue(topic.Key, out var used) || used <= since)
                {
                    chosen.Add(new TopicUse(topic.Key, on));
                    return (topic.Key, null);
                }
            }

            var oldest = topics.OrderBy(t => lastUse[t.Key]).First();
            chosen.Add(new TopicUse(oldest.Key, on));
            return (oldest.Key,
                $"Every topic in the library was discussed with this household in the two years before {on.ToString("d MMMM uuuu", CultureInfo.InvariantCulture)}; "
                + $"chose the least recently used, \"{oldest.Title}\" (last on {lastUse[oldest.Key].ToString("d MMMM uuuu", CultureInfo.InvariantCulture)}).");
        }

        /// <summary>The advisor's book; households without an advisor share one, so their months are spread too.</summary>
        private AdvisorBook BookOf(StaffId? advisor) => advisor is { } id ? Book(id) : _nobody ??= new AdvisorBook(default, "nobody", true, _windowDays);

        private AdvisorBook Book(StaffId id)
        {
            if (_books.TryGetValue(id, out var book))
            {
                return book;
            }

            var known = _advisors.GetValueOrDefault(id);
            book = new AdvisorBook(id, known?.Handle ?? $"staff {id}", known?.Active ?? true, _windowDays);
            foreach (var absence in known?.Absences ?? [])
            {
                var from = Math.Max(0, DayOf(absence.From));
                var to = Math.Min(_windowDays - 1, DayOf(absence.To));
                for (var d = from; d <= to; d++)
                {
                    book.Away[d] = true;
                }
            }

            _books[id] = book;
            return book;
        }

        /// <summary>The business days of a month still open (on or after NotBefore), as window days; null outside the window.</summary>
        private int[]? BusinessDays(int monthIndex)
        {
            if (_businessDays.TryGetValue(monthIndex, out var open))
            {
                return open;
            }

            var all = AllBusinessDays(monthIndex);
            open = all?.Where(d => d >= _notBefore).ToArray();
            if (open is not null)
            {
                _businessDays[monthIndex] = open;
            }

            return open;
        }

        /// <summary>Every business day of a month, as window days; null outside the window.</summary>
        private int[]? AllBusinessDays(int monthIndex)
        {
            if (_allBusinessDays.TryGetValue(monthIndex, out var days))
            {
                return days;
            }

            var first = new LocalDate(monthIndex / 12, (monthIndex % 12) + 1, 1);
            var start = DayOf(first);
            var count = first.Calendar.GetDaysInMonth(first.Year, first.Month);
            if (start < 0 || start + count > _windowDays)
            {
                return null;
            }

            var list = new List<int>(23);
            for (var d = 0; d < count; d++)
            {
                if (_request.Calendar.IsBusinessDay(first.PlusDays(d)))
                {
                    list.Add(start + d);
                }
            }

            days = [.. list];
            _allBusinessDays[monthIndex] = days;
            return days;
        }

        private int DayOf(LocalDate date) => date.ToDateOnly().DayNumber - _windowStartNumber;

        private static int MonthIndex(int year, int month) => (year * 12) + month - 1;

        private static string Clock(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";
    }

    /// <summary>A well-mixed number in [0, count) from a household and a salt: the same inputs always give the same day.</summary>
    private static int Spread(HouseholdId household, int salt, int count)
    {
        unchecked
        {
            var x = ((ulong)household.Value * 0x9E3779B97F4A7C15UL) ^ ((ulong)(salt + 1) * 0xC2B2AE3D27D4EB4FUL);
            x ^= x >> 31;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 27;
            return (int)(x % (ulong)count);
        }
    }
}

/// <summary>The meeting that follows another in a tier's cycle.</summary>
public sealed record NextMeeting(int Year, int Sequence, TouchpointPlan Plan);
