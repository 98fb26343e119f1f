using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Running;

namespace Ensemble.Storage.Access;

/// <summary>
/// What a transition checks on the task it has just loaded, before it moves it: that the caller may act on it, and,
/// when the caller names the versions they read (If-Match), that the task is still at one of them. Checked inside the
/// transition, the task is read once for both and cannot change between the check and the move.
/// </summary>
/// <param name="Versions">The versions the caller read; null when any will do.</param>
public sealed record TaskCheck(Caller Caller, IReadOnlySet<int>? Versions = null)
{
    /// <summary>Whether <see cref="Refusal"/> needs the household's team (see <see cref="HouseholdAccess.NeedsTeam"/>).</summary>
    public bool NeedsTeam(WorkTask task) => HouseholdAccess.NeedsTeam(Caller, TaskOwner.Of(task));

    /// <summary>Why the caller may not move <paramref name="task"/> as it now stands, or null when they may.</summary>
    /// <param name="householdTeam">The task's household team (its own rows, backups included); empty for firm-level work.</param>
    public Error? Refusal(WorkTask task, IEnumerable<TeamAssignment> householdTeam)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!HouseholdAccess.CanSeeTask(Caller, TaskOwner.Of(task), householdTeam))
        {
            return Error.Forbidden($"Task {task.Id} belongs to a household whose team you are not on.");
        }

        return Versions is null || Versions.Contains(task.Version)
            ? null
            : Error.Stale($"Task {task.Id} changed since you read it (now \"{task.Version}\"); read it again and retry.");
    }
}
