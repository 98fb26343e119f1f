using Ensemble.Common;
using NodaTime;

namespace Ensemble.Households;

/// <summary>The life events a firm marks with a personal contact.</summary>
public enum LifeEventKind
{
    NewJob,
    Promotion,
    Retirement,
    NewChild,
    NewGrandchild,
    Marriage,
    Loss,
    Other,
}

/// <summary>Something that happened in a client's life, recorded so the team gets in touch.</summary>
public sealed class LifeEvent
{
    private LifeEvent()
    {
        RecordedBy = "";
    }

    public LifeEvent(HouseholdId householdId, string? memberExternalId, LifeEventKind kind, LocalDate occurredOn, string? note, Instant recordedAt, string recordedBy)
    {
        HouseholdId = householdId;
        MemberExternalId = memberExternalId;
        Kind = kind;
        OccurredOn = occurredOn;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        RecordedAt = recordedAt;
        RecordedBy = recordedBy;
    }

    public long Id { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    /// <summary>The member it happened to, by the member's external id; null for the household as a whole.</summary>
    public string? MemberExternalId { get; private set; }

    public LifeEventKind Kind { get; private set; }

    public LocalDate OccurredOn { get; private set; }

    public string? Note { get; private set; }

    public Instant RecordedAt { get; private set; }

    public string RecordedBy { get; private set; }

    /// <summary>The contact process started for it, once started.</summary>
    public InstanceId? ContactInstanceId { get; private set; }

    public void ContactStarted(InstanceId instanceId) => ContactInstanceId = instanceId;
}
