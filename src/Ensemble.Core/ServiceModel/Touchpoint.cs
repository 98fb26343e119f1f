using Ensemble.Common;
using NodaTime;

namespace Ensemble.ServiceModel;

/// <summary>The kinds of client meeting in the yearly service calendar.</summary>
public enum TouchpointKind
{
    /// <summary>The annual review: progress, portfolio, plan (60–90 minutes).</summary>
    Review,

    /// <summary>A short conversation on one topic from the firm's topic library (30 minutes).</summary>
    TopicMeeting,

    /// <summary>Follow-up on the review's action items, with a life update and investment performance.</summary>
    ActionItemReview,
}

public enum TouchpointStatus
{
    Planned,
    Held,
    Cancelled,
}

/// <summary>
/// One meeting in a household's service year. <see cref="Sequence"/> numbers the meetings of the year
/// (1 = the review), so laying out the same year twice finds the same rows instead of adding more.
/// </summary>
public sealed class Touchpoint
{
    private Touchpoint()
    {
    }

    public Touchpoint(HouseholdId householdId, int year, int sequence, TouchpointKind kind, LocalDateTime startsAt, int minutes, StaffId? advisorId, string? topic)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minutes, 1);
        HouseholdId = householdId;
        Year = year;
        Sequence = sequence;
        Kind = kind;
        StartsAt = startsAt;
        Minutes = minutes;
        AdvisorId = advisorId;
        Topic = topic;
        Status = TouchpointStatus.Planned;
    }

    public TouchpointId Id { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    /// <summary>The service year the meeting belongs to (the year of the household's review).</summary>
    public int Year { get; private set; }

    public int Sequence { get; private set; }

    public TouchpointKind Kind { get; private set; }

    /// <summary>When the meeting starts, in the firm's time zone.</summary>
    public LocalDateTime StartsAt { get; private set; }

    public LocalDate Date => StartsAt.Date;

    public int Minutes { get; private set; }

    /// <summary>The advisor who holds the meeting (the household's wealth partner when it was placed).</summary>
    public StaffId? AdvisorId { get; private set; }

    /// <summary>For topic meetings, the key of the topic drawn from the firm's topic library.</summary>
    public string? Topic { get; private set; }

    /// <summary>The process that prepares and follows up this meeting, once started.</summary>
    public InstanceId? InstanceId { get; private set; }

    public TouchpointStatus Status { get; private set; }

    public Instant? HeldAt { get; private set; }

    public string? Note { get; private set; }

    /// <summary>Bumped by every change, for optimistic concurrency (ETag / If-Match).</summary>
    public int Version { get; private set; }

    public void Reschedule(LocalDateTime startsAt, StaffId? advisorId)
    {
        StartsAt = startsAt;
        AdvisorId = advisorId;
        Version++;
    }

    public void AttachProcess(InstanceId instanceId)
    {
        InstanceId = instanceId;
        Version++;
    }

    public void MarkHeld(Instant at, string? note)
    {
        Status = TouchpointStatus.Held;
        HeldAt = at;
        Note = string.IsNullOrWhiteSpace(note) ? Note : note.Trim();
        Version++;
    }

    public void Cancel(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Status = TouchpointStatus.Cancelled;
        Note = reason.Trim();
        Version++;
    }
}
