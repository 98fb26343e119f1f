using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using NodaTime;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// How one alert is followed up: the plan (quadrant, channel, action, the reason), how it was carried out (a process
/// started for the role on the household's team, a place in a person's digest, an item on the next meeting's agenda,
/// a message queued for the client) and how it ended. At most one per alert. It moves only through its methods,
/// which refuse illegal moves.
/// </summary>
public sealed class AlertFollowUp
{
    public const int ReasonLength = 1000;

    private AlertFollowUp()
    {
        TypeKey = "";
        Reason = "";
    }

    public AlertFollowUp(AlertId alertId, HouseholdId householdId, string typeKey, FollowUpPlan plan, string reason, double rank, Instant decidedAt, LocalDate decidedOn)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(typeKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        AlertId = alertId;
        HouseholdId = householdId;
        TypeKey = typeKey;
        Quadrant = plan.Quadrant;
        Channel = plan.Channel;
        Action = plan.Action;
        OwnerRole = plan.OwnerRole;
        Reason = reason.Length > ReasonLength ? reason[..ReasonLength] : reason;
        Rank = rank;
        DecidedAt = decidedAt;
        DecidedOn = decidedOn;
        Status = FollowUpStatus.Planned;
    }

    public long Id { get; private set; }

    public AlertId AlertId { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    /// <summary>The alert type when the follow-up was decided: the canvas place the plan came from.</summary>
    public string TypeKey { get; private set; }

    public Quadrant Quadrant { get; private set; }

    public FollowUpChannel Channel { get; private set; }

    public FollowUpAction Action { get; private set; }

    /// <summary>The role whose task it is, when it is a task (the role of the process's first step).</summary>
    public string? OwnerRole { get; private set; }

    /// <summary>The person the task went to, or whose digest holds it.</summary>
    public StaffId? AssigneeId { get; private set; }

    public FollowUpStatus Status { get; private set; }

    /// <summary>Why this channel and action, in a sentence.</summary>
    public string Reason { get; private set; }

    /// <summary>The canvas rank when decided (<see cref="CanvasPlace.Rank"/>): orders a person's day and digest.</summary>
    public double Rank { get; private set; }

    public Instant DecidedAt { get; private set; }

    /// <summary>The firm day it was decided.</summary>
    public LocalDate DecidedOn { get; private set; }

    /// <summary>The process started for it, if any.</summary>
    public InstanceId? InstanceId { get; private set; }

    /// <summary>The meeting whose agenda it is on, if any.</summary>
    public TouchpointId? TouchpointId { get; private set; }

    /// <summary>The outbox key of the message sent to the client for it, once queued.</summary>
    public string? MessageKey { get; private set; }

    /// <summary>The day of the digest that holds it (the latest, when it waited more than one day).</summary>
    public LocalDate? DigestOn { get; private set; }

    /// <summary>The day its task was put on the person's list within the noise budget; null when a person took it up from the digest.</summary>
    public LocalDate? TaskOn { get; private set; }

    /// <summary>Who took it up from their digest, when a person did.</summary>
    public string? TakenUpBy { get; private set; }

    public Instant? ClosedAt { get; private set; }

    /// <summary>Why it was closed, or what happened to a process left running.</summary>
    public string? ClosingNote { get; private set; }

    public int Version { get; private set; }

    public bool IsOpen => FollowUpStatuses.IsOpen(Status);

    /// <summary>The budget let the task through: its process started and its first task went to <paramref name="assignee"/>.</summary>
    public Result<AlertFollowUp> TaskStarted(InstanceId instance, string ownerRole, StaffId? assignee, LocalDate today)
    {
        if (Status is not (FollowUpStatus.Planned or FollowUpStatus.InDigest))
        {
            return Refuse("have its task started", "only a planned follow-up or one waiting in a digest can");
        }

        InstanceId = instance;
        OwnerRole = ownerRole;
        AssigneeId = assignee;
        TaskOn = today;
        Status = FollowUpStatus.TaskStarted;
        Version++;
        return this;
    }

    /// <summary>A person took it up from their digest: its process started now, outside the day's budget.</summary>
    public Result<AlertFollowUp> TakenUp(InstanceId instance, string ownerRole, StaffId? assignee, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (Status != FollowUpStatus.InDigest)
        {
            return Refuse("be taken up", "only a follow-up waiting in a digest can");
        }

        InstanceId = instance;
        OwnerRole = ownerRole;
        AssigneeId = assignee;
        TakenUpBy = by;
        Status = FollowUpStatus.TaskStarted;
        Version++;
        return this;
    }

    /// <summary>Over the person's budget today: into their digest of <paramref name="day"/>.</summary>
    public Result<AlertFollowUp> ToDigest(string ownerRole, StaffId person, LocalDate day)
    {
        if (Status is not (FollowUpStatus.Planned or FollowUpStatus.InDigest))
        {
            return Refuse("go into a digest", "only a planned follow-up or one already waiting in a digest can");
        }

        OwnerRole = ownerRole;
        AssigneeId = person;
        DigestOn = day;
        Status = FollowUpStatus.InDigest;
        Version++;
        return this;
    }

    public Result<AlertFollowUp> OnAgenda(TouchpointId touchpoint)
    {
        if (Status is not (FollowUpStatus.Planned or FollowUpStatus.OnAgenda))
        {
            return Refuse("go on an agenda", "only a planned follow-up, or one moving to another meeting, can");
        }

        TouchpointId = touchpoint;
        Status = FollowUpStatus.OnAgenda;
        Version++;
        return this;
    }

    /// <summary>
    /// The client's message is in the outbox under <paramref name="messageKey"/>; null while it waits for the next
    /// collective mailing to carry it.
    /// </summary>
    public Result<AlertFollowUp> QueuedForClient(string? messageKey = null)
    {
        if (Status != FollowUpStatus.Planned && !(Status == FollowUpStatus.QueuedForClient && MessageKey is null))
        {
            return Refuse("be queued for the client", "only a planned follow-up, or one waiting for the next mailing, can");
        }

        MessageKey = messageKey;
        Status = FollowUpStatus.QueuedForClient;
        Version++;
        return this;
    }

    /// <summary>
    /// The alert moved to a variant at another place on the canvas while this follow-up still waits (planned, in a
    /// digest, on an agenda, queued for the client): it is decided again from the new place, and carried out afresh.
    /// </summary>
    public Result<AlertFollowUp> Replan(string typeKey, FollowUpPlan plan, string reason, double rank)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeKey);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Status is not (FollowUpStatus.Planned or FollowUpStatus.InDigest or FollowUpStatus.OnAgenda or FollowUpStatus.QueuedForClient))
        {
            return Refuse("be decided again", "a started task is left to the team, and a closed follow-up stays closed");
        }

        TypeKey = typeKey;
        Quadrant = plan.Quadrant;
        Channel = plan.Channel;
        Action = plan.Action;
        OwnerRole = plan.OwnerRole;
        Reason = reason.Length > ReasonLength ? reason[..ReasonLength] : reason;
        Rank = rank;
        AssigneeId = null;
        TouchpointId = null;
        Status = FollowUpStatus.Planned;
        Version++;
        return this;
    }

    /// <summary>The alert moved to another variant and the follow-up goes on as it is: it now counts under the new type.</summary>
    public void Retype(string typeKey, double rank)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeKey);
        TypeKey = typeKey;
        Rank = rank;
        Version++;
    }

    public Result<AlertFollowUp> Done(Instant at, string note) => Close(FollowUpStatus.Done, at, note);

    public Result<AlertFollowUp> Cancel(Instant at, string note) => Close(FollowUpStatus.Cancelled, at, note);

    private Result<AlertFollowUp> Close(FollowUpStatus to, Instant at, string note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        if (!IsOpen)
        {
            return Refuse(to == FollowUpStatus.Done ? "be done" : "be cancelled", "it is already closed");
        }

        Status = to;
        ClosedAt = at;
        ClosingNote = note.Length > ReasonLength ? note[..ReasonLength] : note;
        Version++;
        return this;
    }

    private Error Refuse(string verb, string rule) =>
        Error.Conflict($"Follow-up {Id} is {FollowUpStatuses.Name(Status).ToLowerInvariant()} and cannot {verb}: {rule}.");
}
