using Ensemble.Common;
using Ensemble.Practice;
using NodaTime;

namespace Ensemble.Processes.Running;

public enum WorkTaskStatus
{
    Open,
    InProgress,
    Done,
    Skipped,
    Cancelled,
}

/// <summary>
/// A step of a running process that has become work for a role. It moves Open → InProgress →
/// Done | Skipped | Cancelled only through its methods, which refuse illegal moves.
/// </summary>
public sealed class WorkTask
{
    private WorkTask()
    {
        StepKey = "";
        Title = "";
        RoleKey = "";
        RoutingNote = "";
    }

    internal WorkTask(ProcessInstance instance, string stepKey, string title, string roleKey, int estimatedMinutes, LocalDate? dueOn, Instant activatedAt)
    {
        Instance = instance;
        HouseholdId = instance.HouseholdId;
        StepKey = stepKey;
        Title = title;
        RoleKey = roleKey;
        EstimatedMinutes = estimatedMinutes;
        DueOn = dueOn;
        ActivatedAt = activatedAt;
        Status = WorkTaskStatus.Open;
        RoutingNote = "";
    }

    public TaskId Id { get; private set; }

    public InstanceId InstanceId { get; private set; }

    public ProcessInstance Instance { get; private set; } = null!;

    /// <summary>Copied from the instance so work lists filter by household without a join.</summary>
    public HouseholdId? HouseholdId { get; private set; }

    public string StepKey { get; private set; }

    public string Title { get; private set; }

    public string RoleKey { get; private set; }

    public StaffId? AssigneeId { get; private set; }

    /// <summary>Why the task went to its assignee (holder, backup, queue), for the history.</summary>
    public string RoutingNote { get; private set; }

    public int EstimatedMinutes { get; private set; }

    public WorkTaskStatus Status { get; private set; }

    public LocalDate? DueOn { get; private set; }

    /// <summary>The first day the sweep saw the task past due; null while on time.</summary>
    public LocalDate? OverdueSince { get; private set; }

    public Instant ActivatedAt { get; private set; }

    public Instant? StartedAt { get; private set; }

    public Instant? ClosedAt { get; private set; }

    /// <summary>Handle of whoever completed, skipped or cancelled it.</summary>
    public string? ClosedBy { get; private set; }

    /// <summary>Why it was skipped or cancelled; for done work, the note left with it.</summary>
    public string? Note { get; private set; }

    /// <summary>Optimistic concurrency token: two people completing the same task cannot both win.</summary>
    public int Version { get; private set; }

    public bool IsOpen => Status is WorkTaskStatus.Open or WorkTaskStatus.InProgress;

    public bool IsFinished => Status is WorkTaskStatus.Done or WorkTaskStatus.Skipped;

    /// <summary>The date the task closed, in the firm's zone; due rules "after step" count from it.</summary>
    public LocalDate? ClosedOn(DateTimeZone zone) => ClosedAt?.InZone(zone).Date;

    internal void Route(RoutingDecision decision)
    {
        AssigneeId = decision.StaffId;
        RoutingNote = decision.Explanation;
        Version++;
    }

    public Result<WorkTask> Start(Instant now)
    {
        if (Status != WorkTaskStatus.Open)
        {
            return Refuse("start");
        }

        Status = WorkTaskStatus.InProgress;
        StartedAt = now;
        Version++;
        return this;
    }

    internal Result<WorkTask> Complete(string actor, Instant now, string? note)
    {
        if (!IsOpen)
        {
            return Refuse("complete");
        }

        Close(WorkTaskStatus.Done, actor, now, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        return this;
    }

    internal Result<WorkTask> Skip(string actor, Instant now, string reason, bool skippable)
    {
        if (!IsOpen)
        {
            return Refuse("skip");
        }

        if (!skippable)
        {
            return Error.Invalid($"Task {Id} ({Title}) is a required step and cannot be skipped.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("Skipping a task needs a reason.");
        }

        Close(WorkTaskStatus.Skipped, actor, now, reason.Trim());
        return this;
    }

    /// <summary>Records a step whose condition did not hold: it counts as skipped, with the reason.</summary>
    internal void SkipAsNotApplicable(Instant now, string reason)
    {
        Close(WorkTaskStatus.Skipped, "ensemble", now, reason);
        AssigneeId = null;
        RoutingNote = "Not applicable to this household.";
    }

    internal void Cancel(string actor, Instant now, string reason)
    {
        if (IsOpen)
        {
            Close(WorkTaskStatus.Cancelled, actor, now, reason);
        }
    }

    /// <summary>Marks the task overdue once; returns false when already marked or not late.</summary>
    public bool MarkOverdue(LocalDate today)
    {
        if (!IsOpen || DueOn is not { } due || due >= today || OverdueSince is not null)
        {
            return false;
        }

        OverdueSince = today;
        Version++;
        return true;
    }

    private void Close(WorkTaskStatus status, string actor, Instant now, string? note)
    {
        Status = status;
        ClosedAt = now;
        ClosedBy = actor;
        Note = note;
        Version++;
    }

    private Error Refuse(string verb) => Status switch
    {
        WorkTaskStatus.Done => Error.Conflict($"Task {Id} ({Title}) was already completed by {ClosedBy} at {ClosedAt}; it cannot {verb} again."),
        WorkTaskStatus.Skipped => Error.Conflict($"Task {Id} ({Title}) was skipped by {ClosedBy} ({Note}); it cannot {verb}."),
        WorkTaskStatus.Cancelled => Error.Conflict($"Task {Id} ({Title}) was cancelled ({Note}); it cannot {verb}."),
        _ => Error.Conflict($"Task {Id} ({Title}) is {Status}; it cannot {verb}."),
    };
}
