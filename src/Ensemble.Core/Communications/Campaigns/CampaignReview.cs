using NodaTime;

namespace Ensemble.Communications.Campaigns;

/// <summary>What happened in a campaign's approval.</summary>
public enum ReviewAction
{
    /// <summary>Sent for approval by someone who wrote or edited it.</summary>
    Submitted,

    /// <summary>A compliance reviewer who did not write it approved it as it stood.</summary>
    Approved,

    /// <summary>A compliance reviewer refused it, with a reason.</summary>
    Rejected,

    /// <summary>What is sent or to whom changed after submission or approval, so that approval no longer stands.</summary>
    Voided,
}

/// <summary>
/// One entry in a campaign's approval history: who, when, what they decided and why. <see cref="ContentHash"/> is the
/// fingerprint of the message as it stood, so an approval is provably of the text that was sent. Entries are only
/// ever added.
/// </summary>
public sealed class CampaignReview
{
    private CampaignReview()
    {
        By = "";
        ContentHash = "";
    }

    internal CampaignReview(CampaignId campaignId, ReviewAction action, string by, Instant at, string? comment, string contentHash)
    {
        CampaignId = campaignId;
        Action = action;
        By = by;
        At = at;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        ContentHash = contentHash;
    }

    public long Id { get; private set; }

    public CampaignId CampaignId { get; private set; }

    public ReviewAction Action { get; private set; }

    /// <summary>The staff handle of who acted.</summary>
    public string By { get; private set; }

    public Instant At { get; private set; }

    public string? Comment { get; private set; }

    public string ContentHash { get; private set; }
}
