using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Work;

/// <summary>Queries over stored template versions.</summary>
public static class TemplateVersions
{
    public static Task<TemplateVersion?> LatestAsync(EnsembleDb db, string key, CancellationToken cancellationToken = default) =>
        db.TemplateVersions.AsNoTracking().Where(v => v.Key == key).OrderByDescending(v => v.Number).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The latest version of every template.</summary>
    public static async Task<List<TemplateVersion>> AllLatestAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var latest = await db.TemplateVersions.AsNoTracking()
            .GroupBy(v => v.Key)
            .Select(g => new { Key = g.Key, Number = g.Max(v => v.Number) })
            .ToListAsync(cancellationToken);
        var wanted = latest.Select(l => l.Key + "#" + l.Number).ToHashSet();
        var keys = latest.Select(l => l.Key).ToList();
        var versions = await db.TemplateVersions.AsNoTracking().Where(v => keys.Contains(v.Key)).ToListAsync(cancellationToken);
        return versions.Where(v => wanted.Contains(v.Key + "#" + v.Number)).OrderBy(v => v.Category).ThenBy(v => v.Name).ToList();
    }

    /// <summary>Templates whose triggers listen for this event, at their latest version.</summary>
    public static async Task<List<(TemplateVersion Version, ProcessTemplate Template)>> SubscribersAsync(EnsembleDb db, DomainEvent e, CancellationToken cancellationToken)
    {
        var result = new List<(TemplateVersion, ProcessTemplate)>();
        foreach (var version in await AllLatestAsync(db, cancellationToken))
        {
            var template = await TemplateCache.GetAsync(db, version.Id, cancellationToken);
            if (template.Triggers.OfType<EventTrigger>().Any(t => t.Event == e.Kind && (t.Event != EventKind.ProcessCompleted || t.TemplateKey == e.TemplateKey)))
            {
                result.Add((version, template));
            }
        }

        return result;
    }
}
