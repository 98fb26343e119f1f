using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>What one planning pass changed.</summary>
public sealed record ReminderPlanReport(int Added, int Updated, int Removed);

/// <summary>
/// Keeps in-app reminders a week, a day and an hour before every planned meeting, for each person the
/// meeting involves (<see cref="MeetingParticipants"/>). A pass looks <see cref="Horizon"/> ahead and is
/// idempotent: each reminder has a unique key, so re-running adds nothing, two nodes running it at once
/// add nothing twice, a moved meeting moves its reminders, and a cancelled meeting (or a person no
/// longer involved) loses the reminders that have not shown yet. A reminder whose time has already gone
/// when it is first planned (a meeting booked three days ahead gets its week reminder) shows at once.
/// </summary>
public sealed class MeetingReminders(EnsembleDb db)
{
    public const string Kind = "meeting-reminder";

    /// <summary>How far ahead a pass looks: a little over the longest lead, so the week reminder is planned before it is due.</summary>
    public static readonly Duration Horizon = Duration.FromDays(8);

    private const int Chunk = 500;

    /// <summary>Keys or ids per query: small enough that a query's parameter list stays cheap to build.</summary>
    private const int Batch = 250;
    private const int Attempts = 3;

    /// <summary>The three reminders: a week and a day before at the meeting's wall-clock time, and an hour before.</summary>
    public static IReadOnlyList<string> Leads { get; } = ["week", "day", "hour"];

    public static string KeyOf(TouchpointId touchpoint, string lead, StaffId staff) => $"meeting:{touchpoint.Value}:{lead}:{staff.Value}";

    /// <summary>When a reminder falls, before the meeting's start: weeks and days keep the local time across a clock change.</summary>
    public static Instant Due(LocalDateTime startsAt, string lead, DateTimeZone zone) => lead switch
    {
        "week" => (startsAt - Period.FromWeeks(1)).InZoneLeniently(zone).ToInstant(),
        "day" => (startsAt - Period.FromDays(1)).InZoneLeniently(zone).ToInstant(),
        "hour" => startsAt.InZoneLeniently(zone).ToInstant() - Duration.FromHours(1),
        _ => throw new ArgumentOutOfRangeException(nameof(lead), lead, "One of week, day, hour."),
    };

    public static string Title(Touchpoint touchpoint, string householdName, ServiceSettings settings) =>
        $"{MeetingText.Summary(touchpoint, householdName, settings)} — {MeetingText.When(touchpoint.StartsAt)}";

    public async Task<ReminderPlanReport> PlanAsync(Instant now, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PlanOnceAsync(now, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < Attempts && Conflicts.IsRetryable(ex))
            {
                // Another node planned (or removed) some of the same reminders first; the next pass sees its work.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<ReminderPlanReport> PlanOnceAsync(Instant now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        db.Actor = "ensemble";
        db.Operation = "plan-meeting-reminders";
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var zone = firm.Zone;
        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var until = now + Horizon;

        // Wall-clock bounds a day wider than needed (a clock change never hides a meeting); the exact test is on instants.
        var fromLocal = now.InZone(zone).LocalDateTime.PlusDays(-1);
        var untilLocal = until.InZone(zone).LocalDateTime.PlusDays(1);
        var touchpoints = (await db.Touchpoints.AsNoTracking()
                .Where(t => t.Status == TouchpointStatus.Planned && t.StartsAt > fromLocal && t.StartsAt <= untilLocal)
                .OrderBy(t => t.Id)
                .ToListAsync(cancellationToken))
            .Where(t => t.StartsAt.InZoneLeniently(zone).ToInstant() is var start && start > now && start <= until)
            .ToList();

        var participants = new MeetingParticipants(db);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        int added = 0, updated = 0, removed = 0;
        foreach (var chunk in touchpoints.Chunk(Chunk))
        {
            var (a, u) = await PlanChunkAsync(chunk, participants, settings, zone, now, wanted, cancellationToken);
            added += a;
            updated += u;
        }

        // Reminders not yet shown that no planned meeting wants any more: the meeting was cancelled, held early,
        // moved out of reach, or the person left its team. Read per person through the (staff, show-at) index.
        var staff = await db.Staff.AsNoTracking().Select(s => s.Id).ToListAsync(cancellationToken);
        var pending = await db.Notifications.AsNoTracking()
            .Where(n => staff.Contains(n.StaffId) && n.ShowAt > now && n.Kind == Kind)
            .Select(n => new { n.Id, n.Key })
            .ToListAsync(cancellationToken);
        foreach (var batch in pending.Where(n => !wanted.Contains(n.Key)).Select(n => n.Id).Chunk(Batch))
        {
            // Not audited (notifications are not firm data), so removed in one statement; one that showed meanwhile stays.
            removed += await db.Notifications.Where(n => batch.Contains(n.Id) && n.ShowAt > now).ExecuteDeleteAsync(cancellationToken);
        }

        return new ReminderPlanReport(added, updated, removed);
    }

    private async Task<(int Added, int Updated)> PlanChunkAsync(
        Touchpoint[] chunk, MeetingParticipants participants, ServiceSettings settings, DateTimeZone zone, Instant now, HashSet<string> wanted, CancellationToken cancellationToken)
    {
        var today = now.InZone(zone).Date;
        var cast = await participants.ForAsync(chunk, today, cancellationToken);
        var householdIds = chunk.Select(t => t.HouseholdId).Distinct().ToList();
        var households = await db.Households.AsNoTracking()
            .Where(h => householdIds.Contains(h.Id))
            .Select(h => new { h.Id, h.Key, h.Name })
            .ToDictionaryAsync(h => h.Id, cancellationToken);

        var desired = new List<StaffNotification>();
        foreach (var touchpoint in chunk)
        {
            var household = households[touchpoint.HouseholdId];
            var title = Title(touchpoint, household.Name, settings);
            var link = MeetingText.HouseholdPath(household.Key);
            foreach (var person in cast[touchpoint.Id])
            {
                foreach (var lead in Leads)
                {
                    var key = KeyOf(touchpoint.Id, lead, person);
                    wanted.Add(key);
                    desired.Add(new StaffNotification(key, person, Kind, title, link, Due(touchpoint.StartsAt, lead, zone), touchpoint.HouseholdId));
                }
            }
        }

        // What is stored already, read as plain values: materialising thousands of tracked rows per pass costs seconds.
        var existing = new Dictionary<string, (long Id, string Title, Instant ShowAt)>(StringComparer.Ordinal);
        foreach (var batch in desired.Select(d => d.Key).Chunk(Batch))
        {
            foreach (var n in await db.Notifications.AsNoTracking().Where(n => batch.Contains(n.Key)).Select(n => new { n.Id, n.Key, n.Title, n.ShowAt }).ToListAsync(cancellationToken))
            {
                existing[n.Key] = (n.Id, n.Title, n.ShowAt);
            }
        }

        int added = 0, updated = 0;
        var fresh = new List<StaffNotification>();
        var moves = new Dictionary<long, (Instant ShowAt, string Title)>();
        var replaced = new HashSet<long>();
        foreach (var want in desired)
        {
            if (!existing.TryGetValue(want.Key, out var have))
            {
                fresh.Add(Showing(want, now));
                added++;
            }
            else if (have.Title != want.Title)
            {
                // The meeting moved (or the household was renamed): the title carries the meeting's time.
                updated++;
                if (have.ShowAt > now)
                {
                    moves[have.Id] = (Max(want.ShowAt, now), want.Title);
                }
                else if (want.ShowAt > now)
                {
                    // Already shown, but for the old time: it shows again, unread, before the new one.
                    replaced.Add(have.Id);
                    fresh.Add(want);
                }
                else
                {
                    moves[have.Id] = (have.ShowAt, want.Title);
                }
            }
        }

        if (moves.Count + replaced.Count > 0)
        {
            var ids = moves.Keys.Concat(replaced).ToList();
            foreach (var row in await db.Notifications.Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken))
            {
                if (replaced.Contains(row.Id))
                {
                    db.Notifications.Remove(row);
                }
                else
                {
                    row.Reschedule(moves[row.Id].ShowAt, moves[row.Id].Title);
                }
            }

            // Replaced rows go first so their keys are free for the new ones.
            await db.SaveChangesAsync(cancellationToken);
        }

        if (fresh.Count > 0)
        {
            db.Notifications.AddRange(fresh);
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return (added, updated);
    }

    private static StaffNotification Showing(StaffNotification want, Instant now) =>
        want.ShowAt >= now ? want : new StaffNotification(want.Key, want.StaffId, want.Kind, want.Title, want.Link, now, want.HouseholdId);

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;
}
