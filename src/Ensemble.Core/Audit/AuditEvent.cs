using NodaTime;

namespace Ensemble.Audit;

/// <summary>
/// One change to firm data: who, when, what, before and after. Events form a hash chain: each
/// carries the hash of the one before, so an edited, removed or reordered event breaks the chain.
/// </summary>
public sealed record AuditEvent(
    long Sequence,
    Instant At,
    string Actor,
    long? HouseholdId,
    string EntityType,
    string EntityId,
    string Action,
    string? Operation,
    string? Before,
    string? After,
    string PreviousHash,
    string Hash);

/// <summary>The chain's last link, kept apart from the events so that cutting events off the end is detected.</summary>
public sealed record AuditHead(long LastSequence, string LastHash);
