using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>An audience as lists and forms show it: the criteria as words, and in one sentence.</summary>
public sealed record AudienceView(
    IReadOnlyList<string> Tiers,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> AccountTypes,
    IReadOnlyList<string> Stages,
    string? SavedAudience,
    string Description)
{
    public static AudienceView Of(AudienceFilter filter, string? savedAudience) => new(
        filter.Tiers.Select(t => t.ToString()).ToList(),
        filter.Tags,
        filter.AccountTypes,
        filter.Stages.Select(AudienceFilter.StageKey).ToList(),
        savedAudience,
        filter.Describe());
}

/// <summary>One entry of the approval history.</summary>
public sealed record ReviewView(string Action, string By, Instant At, string? Comment);

/// <summary>How many of a campaign's messages stand at each delivery status, and by which channel they went.</summary>
public sealed record DeliveryCounts(int Total, int Queued, int Sending, int Sent, int Delivered, int Failed, int Bounced, int Email, int Letter, int Portal)
{
    public static DeliveryCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Messages still on their way: queued or being sent.</summary>
    public int Pending => Queued + Sending;

    public int Of(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => Queued,
        DeliveryStatus.Sending => Sending,
        DeliveryStatus.Sent => Sent,
        DeliveryStatus.Delivered => Delivered,
        DeliveryStatus.Failed => Failed,
        _ => Bounced,
    };
}

/// <summary>A campaign with everything its page shows: content, template problems, approval history, last send and delivery.</summary>
public sealed record CampaignView(
    long Id,
    string Name,
    string Kind,
    string KindTitle,
    string Status,
    string StatusTitle,
    string Author,
    string LastEditedBy,
    string Subject,
    string Body,
    AudienceView Audience,
    LocalDate? Deadline,
    Instant CreatedAt,
    Instant UpdatedAt,
    Instant? SentAt,
    string? SentBy,
    int Version,
    IReadOnlyList<CampaignProblem> Problems,
    ReviewView? Approval,
    IReadOnlyList<ReviewView> Reviews,
    CampaignSendReport? LastSend,
    DeliveryCounts Delivery,
    string? AlertRule = null,
    bool InForce = false)
{
    /// <summary>Whether its templates check clean, so it may be submitted.</summary>
    public bool Ready => Problems.Count == 0;

    /// <summary>Whether it is a standing alert follow-up message rather than a mailing to an audience.</summary>
    public bool IsStanding => AlertRule is not null;

    internal static CampaignView Of(Campaign c, DeliveryCounts delivery)
    {
        var approval = c.Approval;
        return new(
            c.Id.Value, c.Name, c.Kind.Key(), c.Kind.Title(), c.Status.Key(), c.Status.Title(), c.Author, c.LastEditedBy, c.Subject, c.Body,
            AudienceView.Of(c.Audience, c.AudienceName), c.Deadline, c.CreatedAt, c.UpdatedAt, c.SentAt, c.SentBy, c.Version,
            CampaignBook.Problems(c),
            approval is null ? null : Review(approval),
            c.Reviews.OrderBy(r => r.At).ThenBy(r => r.Id).Select(Review).ToList(),
            c.LastSend,
            delivery,
            c.AlertRule,
            c.IsInForce);
    }

    private static ReviewView Review(CampaignReview r) => new(r.Action.ToString().ToLowerInvariant(), r.By, r.At, r.Comment);
}

/// <summary>A campaign as the list shows it.</summary>
public sealed record CampaignLine(
    long Id,
    string Name,
    string Kind,
    string KindTitle,
    string Status,
    string StatusTitle,
    string Author,
    string Audience,
    Instant UpdatedAt,
    Instant? SentAt,
    int Messages);

/// <summary>One household of a campaign's audience: how it will be reached and anything in the way.</summary>
public sealed record RecipientLine(
    long HouseholdId,
    string HouseholdKey,
    string HouseholdName,
    string Tier,
    LifecycleStage Stage,
    string? Channel,
    string RecipientName,
    string? Address,
    bool Deliverable,
    IReadOnlyList<RecipientIssueView> Issues);

/// <summary>An issue with one recipient, as words.</summary>
public sealed record RecipientIssueView(string Kind, string Message, bool Blocking);

/// <summary>
/// Who a campaign would reach now: the audience's size, how many go by each channel, and how many are left out and
/// why; then a page of the recipients the caller may see (<see cref="Hidden"/> counts those in households outside
/// their teams).
/// </summary>
public sealed record AudienceSummary(
    string Description,
    int Audience,
    int Deliverable,
    int ByEmail,
    int ByLetter,
    int ByPortal,
    int DoNotContact,
    int InvalidAddress,
    int MissingFields,
    int Warnings,
    int Hidden,
    bool TemplatesChecked,
    IReadOnlyList<RecipientLine> Recipients,
    int Offset,
    int Limit,
    bool More);

/// <summary>One household's message as it would be sent: channel and address, and the subject and body rendered for it.</summary>
public sealed record RecipientPreview(
    RecipientLine Recipient,
    bool InAudience,
    string? Subject,
    string? TextBody,
    string? HtmlBody,
    IReadOnlyList<CampaignProblem> Problems);

/// <summary>One queued message of a campaign and where it stands.</summary>
public sealed record DeliveryLine(
    long MessageId,
    string? HouseholdKey,
    string? HouseholdName,
    DeliveryChannel Channel,
    string RecipientName,
    string Address,
    DeliveryStatus Status,
    int Attempts,
    Instant QueuedAt,
    Instant? SentAt,
    Instant? DeliveredAt,
    Instant? FailedAt,
    string? LastError);
