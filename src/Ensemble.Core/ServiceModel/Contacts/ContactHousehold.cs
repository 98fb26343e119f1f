using Ensemble.Common;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.ServiceModel.Contacts;

/// <summary>A member whose birthday the firm may mark.</summary>
public sealed record ContactMember(string ExternalId, string Name, Relationship Relationship, LocalDate? BirthDate);

/// <summary>A recorded life event, and whether its contact has been started.</summary>
public sealed record ContactLifeEvent(long Id, LifeEventKind Kind, LocalDate OccurredOn, string? MemberExternalId, string? Note, bool ContactStarted);

/// <summary>A contact process already started (and not cancelled) for the household: the occasion's day and its trigger key.</summary>
public sealed record PastContact(LocalDate On, string? TriggerKey);

/// <summary>What the occasion finder and the contact budget read about one household.</summary>
/// <remarks>
/// <c>Tier</c> is the tier in force: it sets the yearly contact frequency and who makes the contact.
/// <c>Contacts</c> are the contact processes started for it; those dated within the last year (or ahead) count
/// against its frequency.
/// </remarks>
public sealed record ContactHousehold(
    HouseholdId Id,
    string Key,
    string Name,
    ServiceTier Tier,
    bool DoNotContact,
    IReadOnlyList<string> PreferredChannels,
    LocalDate? MarriedOn,
    IReadOnlyList<ContactMember> Members,
    IReadOnlyList<ContactLifeEvent> LifeEvents,
    IReadOnlyList<PastContact> Contacts);
