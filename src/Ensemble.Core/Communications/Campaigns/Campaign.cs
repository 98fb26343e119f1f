using Ensemble.Common;
using NodaTime;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// One message to many households: its templates and audience, and its way through compliance approval to sending.
/// No client communication leaves without approval by a compliance reviewer other than the people who wrote it;
/// changing what is sent, or to whom, voids a pending or given approval; and only the content that was approved can be
/// sent. The approval history is kept in <see cref="Reviews"/>.
/// </summary>
public sealed class Campaign
{
    public const int CommentLength = 2000;

    private Campaign()
    {
        Name = "";
        Author = "";
        LastEditedBy = "";
        Subject = "";
        Body = "";
        Audience = AudienceFilter.Empty;
    }

    public Campaign(CampaignContent content, string author, Instant at)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        Author = author;
        LastEditedBy = author;
        Name = "";
        Subject = "";
        Body = "";
        Audience = AudienceFilter.Empty;
        Apply(content);
        Status = CampaignStatus.Draft;
        CreatedAt = at;
        UpdatedAt = at;
    }

    public CampaignId Id { get; private set; }

    public string Name { get; private set; }

    public CampaignKind Kind { get; private set; }

    /// <summary>The staff handle of who wrote it.</summary>
    public string Author { get; private set; }

    /// <summary>The staff handle of who last changed it; they may not review it either.</summary>
    public string LastEditedBy { get; private set; }

    /// <summary>The subject template (Liquid).</summary>
    public string Subject { get; private set; }

    /// <summary>The message template (Liquid), plain text: blank lines separate paragraphs.</summary>
    public string Body { get; private set; }

    public AudienceFilter Audience { get; private set; }

    /// <summary>The saved audience the criteria were copied from, if any.</summary>
    public string? AudienceName { get; private set; }

    public LocalDate? Deadline { get; private set; }

    /// <summary>For a standing alert follow-up message, the key of the advisory rule whose alerts it answers.</summary>
    public string? AlertRule { get; private set; }

    public CampaignStatus Status { get; private set; }

    public Instant CreatedAt { get; private set; }

    public Instant UpdatedAt { get; private set; }

    /// <summary>When it was first sent, and by whom.</summary>
    public Instant? SentAt { get; private set; }

    public string? SentBy { get; private set; }

    /// <summary>What the last send did.</summary>
    public CampaignSendReport? LastSend { get; private set; }

    public int Version { get; private set; }

    public List<CampaignReview> Reviews { get; private set; } = [];

    public CampaignContent Content => new(Name, Kind, Subject, Body, Audience, AudienceName, Deadline, AlertRule);

    /// <summary>The approval in force: the last approval while the campaign is approved or sent.</summary>
    public CampaignReview? Approval =>
        Status is CampaignStatus.Approved or CampaignStatus.Sent ? Reviews.Where(r => r.Action == ReviewAction.Approved).MaxBy(r => (r.At, r.Id)) : null;

    /// <summary>
    /// Whether this is a standing alert follow-up message that may go out now: approved, and its content exactly what was
    /// approved. A change voids it until compliance approves it again.
    /// </summary>
    public bool IsInForce => Kind.IsStanding() && Status == CampaignStatus.Approved && Approval is { } approval && approval.ContentHash == Content.Hash();

    /// <summary>
    /// Changes the campaign. A change to what is sent or to whom takes a submitted or approved campaign back to Draft,
    /// voiding its approval (the history keeps it), and a rejected one becomes a draft to resubmit. Renaming alone
    /// changes nothing a client sees and keeps the approval. A sent campaign is the record of what went out: it cannot change.
    /// </summary>
    public Result<Campaign> Revise(CampaignContent content, string by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (Status == CampaignStatus.Sent)
        {
            return Error.Conflict($"Campaign {Id} was sent and is kept as sent; start a new campaign for a new message.");
        }

        // The same criteria typed back in are still the copy taken from the saved audience: keep its name.
        if (content.AudienceName is null && content.Audience.Equals(Audience))
        {
            content = content with { AudienceName = AudienceName };
        }

        if (content.MessageDiffers(Content))
        {
            if (Status is CampaignStatus.PendingApproval or CampaignStatus.Approved)
            {
                var what = Status == CampaignStatus.Approved ? "approval" : "submission";
                Reviews.Add(new CampaignReview(Id, ReviewAction.Voided, by, at, $"Changed by {by} after {what}; it must be approved again.", content.Hash()));
            }

            Status = CampaignStatus.Draft;
            LastEditedBy = by;
        }

        Apply(content);
        UpdatedAt = at;
        Version++;
        return this;
    }

    /// <summary>Submits a draft for approval. Its templates must check clean: <paramref name="problems"/> are the check's findings.</summary>
    public Result<Campaign> Submit(string by, Instant at, IReadOnlyList<CampaignProblem> problems)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentNullException.ThrowIfNull(problems);
        if (Status != CampaignStatus.Draft)
        {
            return Error.Conflict(Status switch
            {
                CampaignStatus.Rejected => $"Campaign {Id} was rejected; change it as the reviewer asked, then submit it again.",
                CampaignStatus.PendingApproval => $"Campaign {Id} is already waiting for approval.",
                _ => $"Campaign {Id} is {Status.Title().ToLowerInvariant()}; only a draft can be submitted.",
            });
        }

        if (problems.Count > 0)
        {
            return Error.Invalid("It cannot be submitted until its templates are right: " + string.Join(" ", problems.Select(p => p.ToString())));
        }

        Reviews.Add(new CampaignReview(Id, ReviewAction.Submitted, by, at, null, Content.Hash()));
        Status = CampaignStatus.PendingApproval;
        UpdatedAt = at;
        Version++;
        return this;
    }

    /// <summary>
    /// A compliance reviewer approves or rejects the submitted campaign, with a comment (required to reject). The reviewer
    /// must hold the compliance role and be neither its author, its last editor nor whoever submitted it.
    /// </summary>
    public Result<Campaign> Review(bool approve, string reviewer, bool holdsCompliance, string? comment, Instant at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewer);
        if (Status != CampaignStatus.PendingApproval)
        {
            return Error.Conflict($"Campaign {Id} is {Status.Title().ToLowerInvariant()}, not waiting for approval; only a submitted campaign is reviewed.");
        }

        if (!holdsCompliance)
        {
            return Error.Forbidden("Only a compliance reviewer may approve or reject client communications.");
        }

        var submitter = Reviews.Where(r => r.Action == ReviewAction.Submitted).MaxBy(r => (r.At, r.Id))?.By;
        if (reviewer == Author || reviewer == LastEditedBy || reviewer == submitter)
        {
            return Error.Forbidden($"{reviewer} wrote, changed or submitted campaign {Id}; someone else in compliance must review it.");
        }

        var text = comment?.Trim() ?? "";
        if (!approve && text.Length == 0)
        {
            return Error.Invalid("comment: Say why it is rejected, so the author knows what to change.");
        }

        if (text.Length > CommentLength)
        {
            return Error.Invalid($"comment: A comment can be at most {CommentLength:#,0} characters.");
        }

        Reviews.Add(new CampaignReview(Id, approve ? ReviewAction.Approved : ReviewAction.Rejected, reviewer, at, text, Content.Hash()));
        Status = approve ? CampaignStatus.Approved : CampaignStatus.Rejected;
        UpdatedAt = at;
        Version++;
        return this;
    }

    /// <summary>
    /// Marks the campaign sent (again, for a re-send that reaches recipients not yet queued). Refused unless it is approved
    /// and the content is exactly what was approved.
    /// </summary>
    public Result<Campaign> MarkSending(string by, Instant at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (Kind.IsStanding())
        {
            return Error.Conflict($"Campaign {Id} is a standing alert follow-up message: while approved, it goes to each household whose {AlertRule} alert is followed up by a client channel, and is not sent as a whole.");
        }

        if (Status is not (CampaignStatus.Approved or CampaignStatus.Sent))
        {
            return Error.Conflict($"Campaign {Id} is {Status.Title().ToLowerInvariant()}; only an approved campaign can be sent.");
        }

        if (Approval is not { } approval || approval.ContentHash != Content.Hash())
        {
            return Error.Conflict($"Campaign {Id} is not the message that was approved; it must be approved again.");
        }

        Status = CampaignStatus.Sent;
        SentAt ??= at;
        SentBy ??= by;
        UpdatedAt = at;
        Version++;
        return this;
    }

    public void RecordSend(CampaignSendReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        LastSend = report;
    }

    private void Apply(CampaignContent content)
    {
        Name = content.Name;
        Kind = content.Kind;
        Subject = content.Subject;
        Body = content.Body;
        Audience = content.Audience;
        AudienceName = content.AudienceName;
        Deadline = content.Deadline;
        AlertRule = content.AlertRule;
    }
}
