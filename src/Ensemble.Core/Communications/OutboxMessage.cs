using Ensemble.Common;
using NodaTime;

namespace Ensemble.Communications;

/// <summary>
/// One message to one recipient by one channel, exactly as it is sent: the outbox row a sender claims, and
/// afterwards the archived record of what went out. <see cref="Key"/> is unique, so queuing the same message twice
/// (a retried request, a re-run campaign) adds nothing; <see cref="MessageId"/> is derived from it, so a resend
/// after a crash carries the same Message-ID.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
        Key = "";
        Kind = "";
        RecipientName = "";
        Address = "";
        Subject = "";
        TextBody = "";
        MessageId = "";
    }

    public OutboxMessage(OutboxEnvelope envelope, Instant queuedAt, Instant retainUntil)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrWhiteSpace(envelope.Key);
        ArgumentException.ThrowIfNullOrWhiteSpace(envelope.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(envelope.Address);
        Key = envelope.Key;
        Kind = envelope.Kind;
        Channel = envelope.Channel;
        HouseholdId = envelope.HouseholdId;
        StaffId = envelope.StaffId;
        CampaignId = envelope.CampaignId;
        RecipientName = envelope.RecipientName;
        Address = envelope.Address;
        Subject = envelope.Subject;
        TextBody = envelope.TextBody;
        HtmlBody = envelope.HtmlBody;
        MessageId = MessageIds.For(envelope.Key);
        QueuedAt = queuedAt;
        NextAttemptAt = queuedAt;
        RetainUntil = retainUntil;
        Status = DeliveryStatus.Queued;
    }

    public long Id { get; private set; }

    /// <summary>Unique: e.g. "campaign:12:household:345:member:9"; the same key is never queued twice.</summary>
    public string Key { get; private set; }

    /// <summary>What it is: campaign, follow-up, staff-digest, meeting-reminder…</summary>
    public string Kind { get; private set; }

    public DeliveryChannel Channel { get; private set; }

    public HouseholdId? HouseholdId { get; private set; }

    public StaffId? StaffId { get; private set; }

    public long? CampaignId { get; private set; }

    public string RecipientName { get; private set; }

    /// <summary>An email address, the postal address lines of a letter, or the household key for the portal.</summary>
    public string Address { get; private set; }

    public string Subject { get; private set; }

    public string TextBody { get; private set; }

    public string? HtmlBody { get; private set; }

    /// <summary>The RFC 5322 Message-ID, stable across retries.</summary>
    public string MessageId { get; private set; }

    public DeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public Instant QueuedAt { get; private set; }

    /// <summary>Not sent before this instant: the first attempt, or the next retry after a backoff.</summary>
    public Instant NextAttemptAt { get; private set; }

    /// <summary>The node that claimed it and until when; a claim whose lease ran out is taken over.</summary>
    public string? ClaimedBy { get; private set; }

    public Instant? LeaseUntil { get; private set; }

    public Instant? SentAt { get; private set; }

    public Instant? DeliveredAt { get; private set; }

    public Instant? FailedAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The print batch a letter went into.</summary>
    public string? Batch { get; private set; }

    /// <summary>Kept (and protected from deletion) until this instant: the books-and-records period from sending.</summary>
    public Instant RetainUntil { get; private set; }

    public void Claim(string node, Instant until)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        Status = DeliveryStatus.Sending;
        ClaimedBy = node;
        LeaseUntil = until;
        Attempts++;
    }

    public void MarkSent(Instant at, Duration retention, string? batch = null)
    {
        Status = DeliveryStatus.Sent;
        SentAt ??= at;
        Batch = batch ?? Batch;
        RetainUntil = Max(RetainUntil, SentAt.Value + retention);
        LastError = null;
        ReleaseClaim();
    }

    public void MarkDelivered(Instant at)
    {
        Status = DeliveryStatus.Delivered;
        DeliveredAt ??= at;
    }

    /// <summary>A temporary failure: back to the queue until <paramref name="nextAttemptAt"/>.</summary>
    public void RetryLater(string error, Instant nextAttemptAt)
    {
        Status = DeliveryStatus.Queued;
        LastError = error;
        NextAttemptAt = nextAttemptAt;
        ReleaseClaim();
    }

    public void Fail(string error, Instant at)
    {
        Status = DeliveryStatus.Failed;
        LastError = error;
        FailedAt = at;
        ReleaseClaim();
    }

    public void Bounce(string reason, Instant at)
    {
        Status = DeliveryStatus.Bounced;
        LastError = reason;
        FailedAt = at;
    }

    private void ReleaseClaim()
    {
        ClaimedBy = null;
        LeaseUntil = null;
    }

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;
}

/// <summary>What to send, to whom, by which channel: everything a caller decides before the outbox takes over.</summary>
public sealed record OutboxEnvelope(
    string Key,
    string Kind,
    DeliveryChannel Channel,
    string RecipientName,
    string Address,
    string Subject,
    string TextBody,
    string? HtmlBody = null,
    HouseholdId? HouseholdId = null,
    StaffId? StaffId = null,
    long? CampaignId = null);
