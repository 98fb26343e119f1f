using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.Processes.Running;

/// <summary>
/// Everything the engine needs to turn steps into routed, dated tasks: the calendar, the team
/// (household and firm-level assignments), the staff involved, and the household's facts.
/// </summary>
public sealed record WorkContext(
    BusinessCalendar Calendar,
    DateTimeZone Zone,
    IReadOnlyList<TeamAssignment> Assignments,
    IReadOnlyDictionary<StaffId, Staff> Staff,
    HouseholdFacts Facts);

/// <summary>How to start an instance: for whom, with which dates, by whom, and (for automatic starts) the occurrence key.</summary>
public sealed record StartRequest(
    HouseholdId? HouseholdId,
    IReadOnlyDictionary<string, LocalDate> Anchors,
    string Actor,
    string? TriggerKey = null,
    IReadOnlyDictionary<string, string>? StandIns = null);

/// <summary>Something that happened that may start other processes.</summary>
public sealed record DomainEvent(EventKind Kind, HouseholdId? HouseholdId, string? TemplateKey, string Key);

/// <summary>What one engine operation changed.</summary>
public sealed record Transition(
    ProcessInstance Instance,
    IReadOnlyList<WorkTask> Activated,
    IReadOnlyList<DomainEvent> Events)
{
    public bool InstanceCompleted => Instance.Status == InstanceStatus.Completed;
}
