using Ensemble.Common;
using NodaTime;

namespace Ensemble.Storage;

/// <summary>Remembers, per periodic trigger, up to when occurrences have been considered.</summary>
public sealed class PeriodicCursor
{
    public required string TriggerId { get; init; }

    public Instant LastSweptAt { get; set; }
}

/// <summary>An occurrence of a trigger that was considered and deliberately not started (e.g. overlap), so later sweeps do not re-decide it.</summary>
public sealed class TriggerOccurrence
{
    public required string Key { get; init; }

    public required string Outcome { get; init; }

    public InstanceId? InstanceId { get; init; }

    public Instant RecordedAt { get; init; }
}

/// <summary>The stored form of an audit event.</summary>
public sealed class AuditRow
{
    public long Sequence { get; init; }

    public Instant At { get; init; }

    public required string Actor { get; init; }

    public long? HouseholdId { get; init; }

    public required string EntityType { get; init; }

    public required string EntityId { get; init; }

    public required string Action { get; init; }

    public string? Operation { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }

    public global::Ensemble.Audit.AuditEvent ToEvent() => new(Sequence, At, Actor, HouseholdId, EntityType, EntityId, Action, Operation, Before, After, PreviousHash, Hash);
}

/// <summary>The single row holding the chain's last sequence and hash.</summary>
public sealed class AuditHeadRow
{
    public int Id { get; init; }

    public long LastSequence { get; set; }

    public required string LastHash { get; set; }
}

/// <summary>
/// The single row whose stamp moves, by database trigger, whenever the firm or any staff member changes, so a
/// process that keeps them in memory knows with one small read whether its copy is still current.
/// </summary>
public sealed class DirectoryStampRow
{
    public int Id { get; init; }

    public long Stamp { get; init; }
}

/// <summary>
/// One household's team stamp: moved by database trigger whenever any of its team assignments is written, so a process
/// that keeps the household's team in memory knows from the stamp, read with the household's work, whether it is current.
/// </summary>
public sealed class TeamStampRow
{
    public Ensemble.Common.HouseholdId HouseholdId { get; init; }

    public long Stamp { get; init; }
}
