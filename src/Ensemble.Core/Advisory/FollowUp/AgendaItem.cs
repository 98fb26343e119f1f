using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using NodaTime;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// A point for a scheduled meeting's agenda: what to take up with the client, put there by the follow-up of an alert
/// (or by a person). Withdrawn, with the reason, when the alert is resolved before the meeting; moved when the
/// meeting is cancelled and another is scheduled.
/// </summary>
public sealed class AgendaItem
{
    public const int TextLength = 1000;

    private AgendaItem()
    {
        Text = "";
        AddedBy = "";
    }

    public AgendaItem(TouchpointId touchpointId, HouseholdId householdId, AlertId? alertId, string text, Instant addedAt, string addedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(addedBy);
        TouchpointId = touchpointId;
        HouseholdId = householdId;
        AlertId = alertId;
        Text = text.Length > TextLength ? text[..TextLength] : text;
        AddedAt = addedAt;
        AddedBy = addedBy;
    }

    public long Id { get; private set; }

    public TouchpointId TouchpointId { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    public AlertId? AlertId { get; private set; }

    public string Text { get; private set; }

    public Instant AddedAt { get; private set; }

    public string AddedBy { get; private set; }

    /// <summary>When the point was taken off the agenda, and why; null while it stands.</summary>
    public Instant? WithdrawnAt { get; private set; }

    public string? WithdrawnBecause { get; private set; }

    public bool Stands => WithdrawnAt is null;

    public void Withdraw(Instant at, string because)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(because);
        WithdrawnAt ??= at;
        WithdrawnBecause ??= because.Length > TextLength ? because[..TextLength] : because;
    }

    /// <summary>The meeting was cancelled: the point moves to the household's next scheduled one.</summary>
    public void MoveTo(TouchpointId touchpoint) => TouchpointId = touchpoint;
}
