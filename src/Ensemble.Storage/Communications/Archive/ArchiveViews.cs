using Ensemble.Common;
using Ensemble.Communications;
using NodaTime;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>What an archive search looks for; every part is optional. Dates are the firm's, both inclusive.</summary>
public sealed record ArchiveFilter(
    string? Text = null,
    HouseholdId? Household = null,
    string? Kind = null,
    DeliveryChannel? Channel = null,
    DeliveryStatus? Status = null,
    LocalDate? From = null,
    LocalDate? To = null,
    long? CampaignId = null);

/// <summary>
/// Whose messages a caller may read: those of the households they may see (all when <see cref="Households"/> is
/// null, for roles that see the whole firm) and the emails sent to themselves.
/// </summary>
public sealed record ArchiveScope(IReadOnlyCollection<long>? Households, StaffId? Self)
{
    public static ArchiveScope WholeFirm { get; } = new(null, null);

    public bool IsWholeFirm => Households is null;
}

/// <summary>One archived message as lists show it.</summary>
public sealed record ArchiveLine(
    long Id,
    string Kind,
    string Channel,
    string Status,
    string? HouseholdKey,
    string? HouseholdName,
    string? StaffHandle,
    string RecipientName,
    string Address,
    string Subject,
    long? CampaignId,
    Instant QueuedAt,
    Instant? SentAt);

/// <summary>The compliance decision on a campaign, as its approval history records it.</summary>
public sealed record ApprovalRecord(string Reviewer, string Decision, Instant At, string? Comment);

/// <summary>The campaign a message belongs to and its approvals, newest last; <see cref="Known"/> is false when its record cannot be read.</summary>
public sealed record CampaignRecord(long Id, string? Name, bool Known, IReadOnlyList<ApprovalRecord> Approvals);

/// <summary>One message exactly as it went out, with everything the books-and-records rule asks to keep.</summary>
public sealed record ArchivedMessage(
    long Id,
    string Key,
    string Kind,
    string Channel,
    string Status,
    string? HouseholdKey,
    string? HouseholdName,
    string? StaffHandle,
    string RecipientName,
    string Address,
    string Subject,
    string TextBody,
    string? HtmlBody,
    string MessageId,
    int Attempts,
    Instant QueuedAt,
    Instant? SentAt,
    Instant? DeliveredAt,
    Instant? FailedAt,
    string? LastError,
    string? Batch,
    Instant RetainUntil,
    CampaignRecord? Campaign)
{
    /// <summary>Whether the database still refuses to delete it at <paramref name="now"/>.</summary>
    public bool IsRetained(Instant now) => RetainUntil > now;
}
