using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Notifications;
using Ensemble.Practice;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Notifications;

/// <summary>
/// Staff notifications by email, queued in the outbox for the sender: each person's daily digest (once per firm
/// business day, from <see cref="DigestTime"/>) and an email for each meeting reminder as it comes due, each as the
/// person's preferences say. Safe for several nodes at once: the digest pass claims its day before it runs, every
/// email has a unique outbox key (<see cref="DigestKey"/>, <see cref="ReminderKey"/>), and a reminder is marked
/// emailed in the same save that queues its email.
/// </summary>
public sealed partial class StaffEmails(EnsembleDb db, IClock clock)
{
    public const string DigestKind = "staff-digest";

    /// <summary>The outbox kind of a reminder email: the notification's own kind.</summary>
    public const string ReminderKind = MeetingReminders.Kind;

    /// <summary>The periodic cursor the daily pass claims.</summary>
    public const string DailyCursor = "staff-digest:daily";

    /// <summary>Digests go out from this time of the firm's day: in the inbox before work starts, not at midnight.</summary>
    public static readonly LocalTime DigestTime = new(6, 0);

    /// <summary>A reminder that showed longer ago than this (the app was down) is not emailed late: its moment has passed.</summary>
    public static readonly Duration ReminderFreshness = Duration.FromHours(12);

    /// <summary>How far back "new alerts" look when there was no digest pass before (or a long gap).</summary>
    public static readonly Duration LongestAlertLookBack = Duration.FromDays(7);

    private const int Batch = 200;
    private const int Attempts = 3;

    public static string DigestKey(StaffId staff, LocalDate day) => $"staff-digest:{staff.Value}:{day:uuuu-MM-dd}";

    public static string ReminderKey(long notificationId) => $"staff-notice:{notificationId}";

    /// <summary>One sweep's worth: meeting reminders now due, then the daily digests if today's are due and not yet claimed.</summary>
    public async Task<StaffEmailReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var reminders = await QueueRemindersAsync(cancellationToken);
        return reminders + (await QueueDailyDigestsAsync(cancellationToken) ?? StaffEmailReport.None);
    }

    /// <summary>
    /// The daily digests, once per firm business day from <see cref="DigestTime"/>: the day is claimed first, so of
    /// several nodes only one composes them; null when they are not due or another node has them. A failed pass gives
    /// the day back.
    /// </summary>
    public async Task<StaffEmailReport?> QueueDailyDigestsAsync(CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var now = clock.GetCurrentInstant();
        var local = now.InZone(firm.Zone);
        if (!firm.Calendar.IsBusinessDay(local.Date) || local.TimeOfDay < DigestTime)
        {
            return null;
        }

        var claim = await DailyClaim.TryClaimAsync(db, DailyCursor, now, local.Date.AtStartOfDayInZone(firm.Zone).ToInstant(), cancellationToken);
        if (!claim.Claimed)
        {
            return null;
        }

        try
        {
            return await QueueDigestsAsync(local.Date, claim.Previous, cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            await DailyClaim.ReleaseAsync(db, DailyCursor, claim, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Composes and queues the digest of <paramref name="day"/> for everyone who wants one, without claiming the day;
    /// alerts count as new when raised after <paramref name="since"/> (the previous pass; a day back when unknown).
    /// A digest already queued for the person and day is not queued again.
    /// </summary>
    public async Task<StaffEmailReport> QueueDigestsAsync(LocalDate day, Instant? since, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        var lookBack = since is { } s ? Max(s, now - LongestAlertLookBack) : now - Duration.FromDays(1);
        var people = await PeopleAsync(cancellationToken);
        var stored = await new NotificationPreferencesStore(db).StoredAsync(cancellationToken);
        var wanting = people.Where(p => Preferences(stored, p.Id).DailyDigest).ToList();
        var off = people.Count - wanting.Count;

        var tasks = await DueWorkAsync(day, wanting.Select(p => p.Id).ToHashSet(), cancellationToken);
        var alertsFor = wanting.Where(p => Preferences(stored, p.Id).AlertsInDigest).Select(p => p.Id).ToHashSet();
        var alerts = alertsFor.Count == 0 ? [] : await NewAlertsAsync(lookBack, alertsFor, cancellationToken);
        var app = (await CommunicationSettingsStore.GetAsync(db, cancellationToken)).AppBase;

        var envelopes = new List<OutboxEnvelope>();
        int empty = 0, noAddress = 0;
        foreach (var person in wanting)
        {
            var digest = Compose(person, day, tasks[person.Id].ToList(), alerts.GetValueOrDefault(person.Id) ?? []);
            if (digest.IsEmpty)
            {
                empty++;
            }
            else if (person.Email.Length == 0)
            {
                noAddress++;
            }
            else
            {
                envelopes.Add(new OutboxEnvelope(
                    DigestKey(person.Id, day), DigestKind, DeliveryChannel.Email, person.Name, person.Email, digest.Subject, digest.Text(app), digest.Html(app), StaffId: person.Id));
            }
        }

        var queued = 0;
        foreach (var chunk in envelopes.Chunk(Batch))
        {
            queued += await QueueAsync(chunk, [], "queue-staff-digests", cancellationToken);
        }

        return new StaffEmailReport(true, queued, empty, off, 0, 0, noAddress);
    }

    /// <summary>Emails every meeting reminder that has come due (within <see cref="ReminderFreshness"/>) and not been emailed, for those who want them.</summary>
    public async Task<StaffEmailReport> QueueRemindersAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await QueueRemindersOnceAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < Attempts && Conflicts.IsUniqueViolation(ex))
            {
                // Another node queued some of the same reminders first; on fresh state they show as emailed.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<StaffEmailReport> QueueRemindersOnceAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetCurrentInstant();
        var since = now - ReminderFreshness;
        var people = (await PeopleAsync(cancellationToken)).ToDictionary(p => p.Id);
        var ids = people.Keys.ToList();
        var stored = await new NotificationPreferencesStore(db).StoredAsync(cancellationToken);
        var app = (await CommunicationSettingsStore.GetAsync(db, cancellationToken)).AppBase;
        int queued = 0, off = 0, noAddress = 0;
        long after = 0;
        while (true)
        {
            // Through the (staff, show-at) index: only the last few hours of each person's reminders are looked at.
            var due = await db.Notifications
                .Where(n => ids.Contains(n.StaffId) && n.ShowAt <= now && n.ShowAt > since && n.Kind == MeetingReminders.Kind && n.EmailedAt == null && n.Id > after)
                .OrderBy(n => n.Id)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return new StaffEmailReport(false, 0, 0, 0, queued, off, noAddress);
            }

            after = due[^1].Id;
            var envelopes = new List<OutboxEnvelope>();
            var emailed = new List<StaffNotification>();
            foreach (var notice in due)
            {
                var person = people[notice.StaffId];
                if (!Preferences(stored, person.Id).MeetingReminders)
                {
                    off++;
                    continue;
                }

                if (person.Email.Length == 0)
                {
                    noAddress++;
                    continue;
                }

                var (subject, text, html) = MeetingReminderEmail.Compose(person.Name, notice.Title, notice.Link, app);
                envelopes.Add(new OutboxEnvelope(
                    ReminderKey(notice.Id), ReminderKind, DeliveryChannel.Email, person.Name, person.Email, Clip(subject, 500), text, html, notice.HouseholdId, person.Id));
                emailed.Add(notice);
            }

            foreach (var notice in due.Except(emailed))
            {
                db.Entry(notice).State = EntityState.Detached;
            }

            queued += await QueueAsync(envelopes, emailed, "queue-meeting-reminder-emails", cancellationToken);
        }
    }

    /// <summary>Queues the envelopes and marks the notifications emailed in one save, so neither happens without the other.</summary>
    private async Task<int> QueueAsync(IReadOnlyCollection<OutboxEnvelope> envelopes, IReadOnlyCollection<StaffNotification> notices, string operation, CancellationToken cancellationToken)
    {
        if (envelopes.Count == 0)
        {
            return 0;
        }

        db.Actor = "ensemble";
        db.Operation = operation;
        var now = clock.GetCurrentInstant();
        var added = await OutboxQueue.AddAsync(db, envelopes, now, await CommunicationSettingsStore.RetentionAsync(db, cancellationToken), cancellationToken);
        foreach (var notice in notices)
        {
            notice.MarkEmailed(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return added;
    }

    private static NotificationPreferences Preferences(Dictionary<StaffId, NotificationPreferences> stored, StaffId id) =>
        stored.GetValueOrDefault(id) ?? new NotificationPreferences(id);

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
