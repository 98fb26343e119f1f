using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Communications.Notifications;
using Ensemble.Processes.Running;
using Ensemble.Storage.Advisory;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Notifications;

public sealed partial class StaffEmails
{
    private const int Chunk = 500;

    /// <summary>An active member of staff as the emails address them.</summary>
    private sealed record Person(StaffId Id, string Name, string Email);

    private Task<List<Person>> PeopleAsync(CancellationToken cancellationToken) =>
        db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Id).Select(s => new Person(s.Id, s.Name, s.Email)).ToListAsync(cancellationToken);

    private static StaffDigest Compose(Person person, LocalDate day, List<DigestTask> tasks, List<DigestAlert> alerts)
    {
        var overdue = tasks.Where(t => t.DueOn < day).OrderBy(t => t.DueOn).ThenBy(t => t.Id).ToList();
        var today = tasks.Where(t => t.DueOn == day).OrderBy(t => t.Id).ToList();
        return new StaffDigest(
            person.Name, day,
            overdue.Take(StaffDigest.Listed).ToList(), overdue.Count,
            today.Take(StaffDigest.Listed).ToList(), today.Count,
            alerts.Take(StaffDigest.Listed).ToList(), alerts.Count);
    }

    /// <summary>Open work assigned to the people, due on or before the day: one query through the open-work index, then names for its households.</summary>
    private async Task<ILookup<StaffId, DigestTask>> DueWorkAsync(LocalDate day, HashSet<StaffId> people, CancellationToken cancellationToken)
    {
        if (people.Count == 0)
        {
            return Array.Empty<(StaffId, DigestTask)>().ToLookup(x => x.Item1, x => x.Item2);
        }

        var rows = await (
            from t in db.Tasks.AsNoTracking()
            where (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress) && t.AssigneeId != null && t.DueOn <= day
            join i in db.Instances on t.InstanceId equals i.Id
            select new { t.Id, t.AssigneeId, t.Title, t.DueOn, t.HouseholdId, i.TemplateName })
            .ToListAsync(cancellationToken);
        rows = rows.Where(r => people.Contains(r.AssigneeId!.Value)).ToList();
        var households = await NamesAsync(rows.Where(r => r.HouseholdId is not null).Select(r => r.HouseholdId!.Value), cancellationToken);
        return rows.ToLookup(
            r => r.AssigneeId!.Value,
            r =>
            {
                var household = r.HouseholdId is { } h ? households.GetValueOrDefault(h) : default;
                return new DigestTask(r.Id.Value, r.Title, r.TemplateName, household.Key, household.Name, r.DueOn!.Value);
            });
    }

    /// <summary>
    /// Alerts raised since <paramref name="since"/> and still open, for each person holding a role on the household's
    /// team (backups are not told: they act when the holder is away, and their own digest would fill with others' news).
    /// </summary>
    private async Task<Dictionary<StaffId, List<DigestAlert>>> NewAlertsAsync(Instant since, HashSet<StaffId> people, CancellationToken cancellationToken)
    {
        var found = await db.Alerts.AsNoTracking()
            .Where(a => a.RaisedAt > since && a.Status != AlertStatus.Resolved)
            .Select(a => new { a.Id, a.HouseholdId, a.RuleKey, a.TypeKey, a.RaisedAt })
            .ToListAsync(cancellationToken);
        if (found.Count == 0)
        {
            return [];
        }

        // Most urgent first, as the canvas ranks the types; then the newest.
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var rank = framework.Types.Select((t, i) => (t.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        var raised = found.OrderBy(a => rank.GetValueOrDefault(a.TypeKey, int.MaxValue)).ThenByDescending(a => a.RaisedAt).ThenBy(a => a.Id.Value).ToList();
        var householdIds = raised.Select(a => a.HouseholdId).Distinct().ToList();
        var households = await NamesAsync(householdIds, cancellationToken);
        var holders = new Dictionary<HouseholdId, List<StaffId>>();
        foreach (var chunk in householdIds.Chunk(Chunk))
        {
            var ids = chunk.Select(h => (HouseholdId?)h).ToList();
            foreach (var a in await db.TeamAssignments.AsNoTracking().Where(a => ids.Contains(a.HouseholdId)).Select(a => new { a.HouseholdId, a.StaffId }).ToListAsync(cancellationToken))
            {
                if (people.Contains(a.StaffId))
                {
                    (holders.TryGetValue(a.HouseholdId!.Value, out var list) ? list : holders[a.HouseholdId!.Value] = []).Add(a.StaffId);
                }
            }
        }

        var byPerson = new Dictionary<StaffId, List<DigestAlert>>();
        foreach (var alert in raised)
        {
            var (key, name) = households.GetValueOrDefault(alert.HouseholdId);
            var line = new DigestAlert(alert.Id.Value, framework.Rule(alert.RuleKey)?.Title ?? alert.RuleKey, key ?? "", name ?? "");
            foreach (var person in (holders.GetValueOrDefault(alert.HouseholdId) ?? []).Distinct())
            {
                (byPerson.TryGetValue(person, out var list) ? list : byPerson[person] = []).Add(line);
            }
        }

        return byPerson;
    }

    private async Task<Dictionary<HouseholdId, (string Key, string Name)>> NamesAsync(IEnumerable<HouseholdId> ids, CancellationToken cancellationToken)
    {
        var names = new Dictionary<HouseholdId, (string Key, string Name)>();
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            var list = chunk.ToList();
            foreach (var h in await db.Households.AsNoTracking().Where(h => list.Contains(h.Id)).Select(h => new { h.Id, h.Key, h.Name }).ToListAsync(cancellationToken))
            {
                names[h.Id] = (h.Key, h.Name);
            }
        }

        return names;
    }
}
