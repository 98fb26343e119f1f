using System.Globalization;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>
/// One in-app notification per person per day for their follow-up digest: what waits beyond the day's budget,
/// ranked on the follow-ups page. Its key names the person and the day, so a later run the same day refreshes the
/// count instead of adding a second notification.
/// </summary>
internal sealed class DigestNotices(EnsembleDb db, IClock clock)
{
    public const string Kind = "follow-up-digest";

    public const string Link = "/follow-ups?view=digest";

    public static string Key(StaffId person, LocalDate day) =>
        $"{Kind}:{person.Value.ToString(CultureInfo.InvariantCulture)}:{day.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}";

    public async Task PostAsync(IReadOnlyCollection<StaffId> people, LocalDate day, FollowUpSettings settings, CancellationToken cancellationToken)
    {
        if (people.Count == 0)
        {
            return;
        }

        db.ChangeTracker.Clear();
        var ids = people.Select(p => (StaffId?)p).ToList();
        var counts = (await db.FollowUps().AsNoTracking()
                .Where(f => f.Status == FollowUpStatus.InDigest && EF.Parameter(ids).Contains(f.AssigneeId))
                .Select(f => f.AssigneeId)
                .ToListAsync(cancellationToken))
            .GroupBy(a => a!.Value).ToDictionary(g => g.Key, g => g.Count());
        var keys = people.Select(p => Key(p, day)).ToList();
        var existing = await db.Notifications.Where(n => keys.Contains(n.Key)).ToDictionaryAsync(n => n.Key, StringComparer.Ordinal, cancellationToken);
        var now = clock.GetCurrentInstant();
        foreach (var person in people)
        {
            var waiting = counts.GetValueOrDefault(person);
            var title = $"Follow-up digest for {day.ToString("ddd d MMM", CultureInfo.InvariantCulture)}: {waiting} alert{(waiting == 1 ? "" : "s")} waiting "
                + $"beyond your {settings.TasksPerPersonPerDay} follow-up task{(settings.TasksPerPersonPerDay == 1 ? "" : "s")} a day, most urgent first";
            if (existing.TryGetValue(Key(person, day), out var notice))
            {
                notice.Reschedule(notice.ShowAt, title);
            }
            else
            {
                db.Notifications.Add(new StaffNotification(Key(person, day), person, Kind, title, Link, now, null));
            }
        }

        using (await WriteGate.EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
    }
}
