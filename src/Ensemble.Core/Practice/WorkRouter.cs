using Ensemble.Common;
using NodaTime;

namespace Ensemble.Practice;

/// <summary>Who a piece of work went to, and a sentence saying why (shown in task history).</summary>
public sealed record RoutingDecision(StaffId? StaffId, string Explanation);

/// <summary>
/// Routes work for a role to a person: the household's holder of the role, else the first backup
/// who is in on the day the work falls due; firm-level holders cover roles a household team lacks.
/// </summary>
public static class WorkRouter
{
    public static RoutingDecision Route(
        string roleKey,
        HouseholdId? householdId,
        LocalDate dueOn,
        IEnumerable<TeamAssignment> assignments,
        IReadOnlyDictionary<StaffId, Staff> staff)
    {
        var list = assignments as IReadOnlyCollection<TeamAssignment> ?? assignments.ToList();
        var assignment =
            (householdId is { } hh ? list.FirstOrDefault(a => a.HouseholdId == hh && a.RoleKey == roleKey) : null)
            ?? list.FirstOrDefault(a => a.IsFirmLevel && a.RoleKey == roleKey);
        if (assignment is null)
        {
            return new RoutingDecision(null, $"No one holds the {roleKey} role for this {(householdId is null ? "firm" : "household")}; the task waits in the role's queue.");
        }

        var where = assignment.IsFirmLevel && householdId is not null ? "firm-level " : "";
        foreach (var candidate in assignment.CoverageOrder())
        {
            if (!staff.TryGetValue(candidate, out var person) || person.IsAwayOn(dueOn))
            {
                continue;
            }

            if (candidate == assignment.StaffId)
            {
                return new RoutingDecision(candidate, $"Assigned to the {where}{roleKey}, {person.Name}.");
            }

            var holder = staff.TryGetValue(assignment.StaffId, out var h) ? h.Name : $"staff {assignment.StaffId}";
            return new RoutingDecision(candidate, $"{holder} is away on {dueOn:uuuu-MM-dd}; covered by backup {person.Name}.");
        }

        // Everyone who covers is away: the holder keeps the work rather than letting it drop out of sight.
        var name = staff.TryGetValue(assignment.StaffId, out var p) ? p.Name : $"staff {assignment.StaffId}";
        return new RoutingDecision(assignment.StaffId, $"Everyone covering the {roleKey} role is away on {dueOn:uuuu-MM-dd}; left with {name}.");
    }
}
