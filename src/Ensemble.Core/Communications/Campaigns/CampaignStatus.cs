namespace Ensemble.Communications.Campaigns;

/// <summary>
/// Where a campaign stands. Draft → PendingApproval → Approved → Sent; a reviewer may reject it instead, and any
/// change to what is sent or to whom takes it back to Draft, voiding an approval.
/// </summary>
public enum CampaignStatus
{
    /// <summary>Being written; may be edited freely and submitted once its templates check clean.</summary>
    Draft,

    /// <summary>Submitted; waiting for a compliance reviewer who did not write it.</summary>
    PendingApproval,

    /// <summary>Approved as it stands; may be sent.</summary>
    Approved,

    /// <summary>Refused by the reviewer, with a reason; editing it makes it a draft again.</summary>
    Rejected,

    /// <summary>Queued to its recipients; kept as the record of what went out. Sending again reaches only recipients not yet queued.</summary>
    Sent,
}

public static class CampaignStatuses
{
    public static IReadOnlyList<CampaignStatus> All { get; } = [CampaignStatus.Draft, CampaignStatus.PendingApproval, CampaignStatus.Approved, CampaignStatus.Rejected, CampaignStatus.Sent];

    public static string Choices => string.Join(", ", All.Select(Key));

    public static string Key(this CampaignStatus status) => status switch
    {
        CampaignStatus.Draft => "draft",
        CampaignStatus.PendingApproval => "pending-approval",
        CampaignStatus.Approved => "approved",
        CampaignStatus.Rejected => "rejected",
        CampaignStatus.Sent => "sent",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Title(this CampaignStatus status) => status switch
    {
        CampaignStatus.Draft => "Draft",
        CampaignStatus.PendingApproval => "Waiting for approval",
        CampaignStatus.Approved => "Approved",
        CampaignStatus.Rejected => "Rejected",
        CampaignStatus.Sent => "Sent",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static CampaignStatus? Parse(string? text) =>
        All.Cast<CampaignStatus?>().FirstOrDefault(s => s!.Value.Key() == (text ?? "").Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-')
            || string.Equals(s.Value.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase));
}
