using Ensemble.Common;
using NodaTime;

namespace Ensemble.ServiceModel.Calendar;

/// <summary>
/// A meeting the planner placed: when, with whom, for how long, which process prepares it and, for topic
/// meetings, the topic. <see cref="TopicNote"/> is set when the topic had to repeat one used within two
/// years, saying which and why.
/// </summary>
public sealed record PlannedTouchpoint(
    HouseholdId HouseholdId,
    int Year,
    int Sequence,
    TouchpointKind Kind,
    LocalDateTime StartsAt,
    int Minutes,
    StaffId AdvisorId,
    string Template,
    string? Topic,
    string? TopicNote)
{
    public LocalDate Date => StartsAt.Date;
}

/// <summary>A meeting that could not be placed, and why, in words a person can act on.</summary>
public sealed record UnplacedTouchpoint(HouseholdId HouseholdId, int Year, int Sequence, TouchpointKind Kind, string Reason);

/// <summary>
/// What laying out a year gives: the meetings placed, those that could not be (the rest are placed
/// regardless), how many were already in the calendar, how many households are below the service
/// model, and the review months given to households that had none.
/// </summary>
public sealed record CalendarPlan(
    IReadOnlyList<PlannedTouchpoint> Placed,
    IReadOnlyList<UnplacedTouchpoint> Unplaced,
    int AlreadyThere,
    int Unsegmented,
    IReadOnlyDictionary<HouseholdId, int> AssignedReviewMonths);

/// <summary>The one meeting <see cref="CalendarPlanner.PlaceNext"/> looked for: placed, or not with the reason.</summary>
public sealed record PlacementOutcome(PlannedTouchpoint? Placed, UnplacedTouchpoint? Unplaced);
