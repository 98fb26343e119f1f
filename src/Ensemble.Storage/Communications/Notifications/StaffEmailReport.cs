namespace Ensemble.Storage.Communications.Notifications;

/// <summary>What one pass of staff emails queued and why others were not.</summary>
/// <param name="DigestsRan">False when the daily digests were not due (already done today, before the morning, not a business day).</param>
/// <param name="Digests">Digest emails queued.</param>
/// <param name="NothingToReport">People with nothing overdue, due or new: no email.</param>
/// <param name="DigestsOff">People who turned the daily digest off.</param>
/// <param name="Reminders">Meeting reminder emails queued.</param>
/// <param name="RemindersOff">Reminders not emailed because their person turned reminder emails off.</param>
/// <param name="NoEmailAddress">Emails not queued because the person has no email address on file.</param>
public sealed record StaffEmailReport(bool DigestsRan, int Digests, int NothingToReport, int DigestsOff, int Reminders, int RemindersOff, int NoEmailAddress)
{
    public string Summary =>
        (DigestsRan ? $"staff emails: {Digests} digest(s) queued ({NothingToReport} with nothing to report, {DigestsOff} turned off)" : "staff emails: digests not due")
        + $"; {Reminders} meeting reminder(s) queued ({RemindersOff} turned off); {NoEmailAddress} skipped for want of an email address.";

    public static StaffEmailReport operator +(StaffEmailReport a, StaffEmailReport b) => new(
        a.DigestsRan || b.DigestsRan, a.Digests + b.Digests, a.NothingToReport + b.NothingToReport, a.DigestsOff + b.DigestsOff,
        a.Reminders + b.Reminders, a.RemindersOff + b.RemindersOff, a.NoEmailAddress + b.NoEmailAddress);

    public static StaffEmailReport None { get; } = new(false, 0, 0, 0, 0, 0, 0);
}
