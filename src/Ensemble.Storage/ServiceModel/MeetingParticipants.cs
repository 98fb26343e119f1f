using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>
/// Who a meeting involves: its advisor, and the people on the household's team who hold a role owning a
/// step of the meeting's process — the template version its instance runs, or, before the process has
/// started, the template the service settings name for its kind. Reminders and calendar feeds both ask
/// here, so a person is reminded of exactly the meetings on their calendar. Only active staff count.
/// </summary>
public sealed class MeetingParticipants(EnsembleDb db)
{
    private readonly Dictionary<TemplateVersionId, IReadOnlySet<string>> _rolesByVersion = [];
    private readonly Dictionary<string, IReadOnlySet<string>> _rolesByTemplate = new(StringComparer.Ordinal);
    private ServiceSettings? _settings;
    private HashSet<StaffId>? _active;

    /// <summary>The staff each touchpoint involves, advisor first, without duplicates.</summary>
    public async Task<Dictionary<TouchpointId, IReadOnlyList<StaffId>>> ForAsync(IReadOnlyCollection<Touchpoint> touchpoints, LocalDate today, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<TouchpointId, IReadOnlyList<StaffId>>(touchpoints.Count);
        if (touchpoints.Count == 0)
        {
            return result;
        }

        _active ??= (await db.Staff.AsNoTracking().Where(s => s.Active).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
        var roles = await RolesAsync(touchpoints, today, cancellationToken);
        var households = touchpoints.Select(t => (HouseholdId?)t.HouseholdId).Distinct().ToList();
        var teams = (await db.TeamAssignments.AsNoTracking()
                .Where(a => households.Contains(a.HouseholdId))
                .Select(a => new { a.HouseholdId, a.RoleKey, a.StaffId })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.HouseholdId!.Value);
        foreach (var touchpoint in touchpoints)
        {
            var people = new List<StaffId>();
            if (touchpoint.AdvisorId is { } advisor && _active.Contains(advisor))
            {
                people.Add(advisor);
            }

            var involved = roles[touchpoint.Id];
            foreach (var assignment in teams[touchpoint.HouseholdId].OrderBy(a => a.RoleKey, StringComparer.Ordinal))
            {
                if (involved.Contains(assignment.RoleKey) && _active.Contains(assignment.StaffId) && !people.Contains(assignment.StaffId))
                {
                    people.Add(assignment.StaffId);
                }
            }

            result[touchpoint.Id] = people;
        }

        return result;
    }

    /// <summary>The roles that own a step of each touchpoint's process (empty when no template can be found).</summary>
    public async Task<Dictionary<TouchpointId, IReadOnlySet<string>>> RolesAsync(IReadOnlyCollection<Touchpoint> touchpoints, LocalDate today, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<TouchpointId, IReadOnlySet<string>>(touchpoints.Count);
        var instanceIds = touchpoints.Where(t => t.InstanceId is not null).Select(t => t.InstanceId!.Value).Distinct().ToList();
        var versionOf = instanceIds.Count == 0
            ? []
            : await db.Instances.AsNoTracking()
                .Where(i => instanceIds.Contains(i.Id))
                .Select(i => new { i.Id, i.TemplateVersionId })
                .ToDictionaryAsync(i => i.Id, i => i.TemplateVersionId, cancellationToken);

        var unstarted = touchpoints.Where(t => t.InstanceId is not { } id || !versionOf.ContainsKey(id)).Select(t => t.HouseholdId).Distinct().ToList();
        var tiers = unstarted.Count == 0
            ? []
            : await db.HouseholdTiers.AsNoTracking().Where(t => unstarted.Contains(t.HouseholdId)).ToDictionaryAsync(t => t.HouseholdId, cancellationToken);

        foreach (var touchpoint in touchpoints)
        {
            if (touchpoint.InstanceId is { } instance && versionOf.TryGetValue(instance, out var version))
            {
                result[touchpoint.Id] = await RolesOfVersionAsync(version, cancellationToken);
                continue;
            }

            var tier = tiers.TryGetValue(touchpoint.HouseholdId, out var stored) ? stored.InForceOn(today) : (ServiceTier?)null;
            var template = await TemplateForAsync(touchpoint.Kind, tier, cancellationToken);
            result[touchpoint.Id] = template is null ? new HashSet<string>() : await RolesOfTemplateAsync(template, cancellationToken);
        }

        return result;
    }

    /// <summary>The template that runs a kind of meeting: the household's tier's plan first, else any tier's.</summary>
    private async Task<string?> TemplateForAsync(TouchpointKind kind, ServiceTier? tier, CancellationToken cancellationToken)
    {
        _settings ??= await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var own = tier is { } t ? _settings.PlanFor(t).FirstOrDefault(p => p.Kind == kind) : null;
        return (own ?? _settings.Calendar.OrderBy(c => c.Key).SelectMany(c => c.Value).FirstOrDefault(p => p.Kind == kind))?.Template;
    }

    private async Task<IReadOnlySet<string>> RolesOfTemplateAsync(string key, CancellationToken cancellationToken)
    {
        if (!_rolesByTemplate.TryGetValue(key, out var roles))
        {
            var latest = await db.TemplateVersions.AsNoTracking()
                .Where(v => v.Key == key)
                .OrderByDescending(v => v.Number)
                .Select(v => new { v.Id, v.ContentHash })
                .FirstOrDefaultAsync(cancellationToken);
            roles = latest is null ? new HashSet<string>() : Roles(await TemplateCache.GetAsync(db, latest.Id, latest.ContentHash, cancellationToken));
            _rolesByTemplate[key] = roles;
        }

        return roles;
    }

    private async Task<IReadOnlySet<string>> RolesOfVersionAsync(TemplateVersionId version, CancellationToken cancellationToken)
    {
        if (!_rolesByVersion.TryGetValue(version, out var roles))
        {
            roles = Roles(await TemplateCache.GetAsync(db, version, cancellationToken));
            _rolesByVersion[version] = roles;
        }

        return roles;
    }

    private static HashSet<string> Roles(Processes.Templates.ProcessTemplate template) =>
        template.Steps.Select(s => s.Role).ToHashSet(StringComparer.Ordinal);
}
