using NodaTime;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// What one send did: messages queued (by channel), recipients already queued by an earlier send, and the households
/// left out — do not contact, an invalid address, or a merge field with no value.
/// </summary>
public sealed record CampaignSendReport(
    Instant At,
    string By,
    int Audience,
    int Queued,
    int AlreadyQueued,
    int DoNotContact,
    int InvalidAddress,
    int MissingFields,
    int ByEmail,
    int ByLetter,
    int ByPortal)
{
    /// <summary>Households in the audience that did not get a message this time and had none before.</summary>
    public int NotSent => InvalidAddress + MissingFields;
}
