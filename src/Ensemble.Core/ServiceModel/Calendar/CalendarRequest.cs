using Ensemble.Common;
using Ensemble.Practice;
using NodaTime;

namespace Ensemble.ServiceModel.Calendar;

/// <summary>A household as the calendar sees it: its tier in force, its review month (if it has one) and the advisor who meets it.</summary>
public sealed record CalendarHousehold(HouseholdId Id, ServiceTier Tier, int? ReviewMonth, StaffId? AdvisorId);

/// <summary>An advisor who holds meetings: the handle used in messages, whether still at the firm, and when away.</summary>
public sealed record CalendarAdvisor(StaffId Id, string Handle, bool Active, IReadOnlyList<Absence> Absences);

/// <summary>
/// A meeting already in the calendar. Those not cancelled take up their advisor's day; all of them
/// mark their (household, year, sequence) as done, so laying out a year again adds nothing twice.
/// </summary>
public sealed record BookedMeeting(HouseholdId HouseholdId, int Year, int Sequence, StaffId? AdvisorId, LocalDateTime StartsAt, int Minutes, TouchpointStatus Status);

/// <summary>A topic discussed (or booked to be) with a household on a day.</summary>
public sealed record TopicUse(string Topic, LocalDate On);

/// <summary>
/// Everything the planner needs to lay out one service year. <see cref="NotBefore"/> is the first day a
/// meeting may be placed on (tomorrow, for a calendar laid out today).
/// </summary>
public sealed record CalendarRequest(
    int Year,
    IReadOnlyList<CalendarHousehold> Households,
    ServiceSettings Settings,
    BusinessCalendar Calendar,
    IReadOnlyList<CalendarAdvisor> Advisors,
    IReadOnlyList<BookedMeeting> Existing,
    IReadOnlyDictionary<HouseholdId, IReadOnlyList<TopicUse>> TopicHistory,
    LocalDate NotBefore);
