using Ensemble.Common;
using NodaTime;

namespace Ensemble.Practice;

/// <summary>
/// A message for one member of staff that shows in the app from <see cref="ShowAt"/>: a meeting reminder,
/// a tier change, a digest. <see cref="Key"/> is unique, so planning the same reminder twice adds nothing.
/// Email delivery reads the same rows (see the communications work).
/// </summary>
public sealed class StaffNotification
{
    private StaffNotification()
    {
        Key = "";
        Kind = "";
        Title = "";
    }

    public StaffNotification(string key, StaffId staffId, string kind, string title, string? link, Instant showAt, HouseholdId? householdId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Key = key;
        StaffId = staffId;
        Kind = kind;
        Title = title;
        Link = link;
        ShowAt = showAt;
        HouseholdId = householdId;
    }

    public long Id { get; private set; }

    public string Key { get; private set; }

    public StaffId StaffId { get; private set; }

    /// <summary>What it is about, e.g. "meeting-reminder".</summary>
    public string Kind { get; private set; }

    public string Title { get; private set; }

    /// <summary>A path in the app to open, e.g. /households/HH-1001.</summary>
    public string? Link { get; private set; }

    public Instant ShowAt { get; private set; }

    public HouseholdId? HouseholdId { get; private set; }

    public Instant? ReadAt { get; private set; }

    /// <summary>When it was sent by email, once the email channel sent it.</summary>
    public Instant? EmailedAt { get; private set; }

    public void MarkRead(Instant at) => ReadAt ??= at;

    public void MarkEmailed(Instant at) => EmailedAt ??= at;

    /// <summary>Moves a reminder that has not shown yet (the meeting moved).</summary>
    public void Reschedule(Instant showAt, string title)
    {
        ShowAt = showAt;
        Title = title;
    }
}
