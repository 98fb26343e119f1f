using Ensemble.Common;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Access;

/// <summary>Whose a task is, which is all that deciding access to it needs.</summary>
public sealed record TaskOwner(StaffId? AssigneeId, HouseholdId? HouseholdId, string RoleKey)
{
    // Every request on a task asks this first, so the query is compiled once per model rather than translated each time.
    private static readonly CompiledPerModel<Func<EnsembleDb, TaskId, CancellationToken, Task<TaskOwner?>>> Query = new(() => EF.CompileAsyncQuery(
        (EnsembleDb db, TaskId id, CancellationToken _) => db.Tasks.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new TaskOwner(t.AssigneeId, t.HouseholdId, t.RoleKey)).FirstOrDefault()));

    /// <summary>The owner of a task already loaded.</summary>
    public static TaskOwner Of(Ensemble.Processes.Running.WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskOwner(task.AssigneeId, task.HouseholdId, task.RoleKey);
    }

    /// <summary>The owner of <paramref name="taskId"/>, or null when there is no such task.</summary>
    public static Task<TaskOwner?> FindAsync(EnsembleDb db, TaskId taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Query.For(db)(db, taskId, cancellationToken);
    }
}
