using Ensemble.Common;
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

    /// <summary>The id of the latest version of every template, without loading their text.</summary>
    public static async Task<List<(TemplateVersionId Id, string ContentHash)>> LatestIdsAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var all = await db.TemplateVersions.AsNoTracking().Select(v => new { v.Id, v.Key, v.Number, v.ContentHash }).ToListAsync(cancellationToken);
        return all.GroupBy(v => v.Key).Select(g => g.MaxBy(v => v.Number)!).Select(v => (v.Id, v.ContentHash)).ToList();
    }

    /// <summary>Templates whose triggers listen for this event, at their latest version.</summary>
    public static async Task<List<(TemplateVersionId Version, ProcessTemplate Template)>> SubscribersAsync(EnsembleDb db, DomainEvent e, CancellationToken cancellationToken)
    {
        var result = new List<(TemplateVersionId, ProcessTemplate)>();
        foreach (var (id, hash) in await LatestIdsAsync(db, cancellationToken))
        {
            var template = await TemplateCache.GetAsync(db, id, hash, cancellationToken);
            if (template.Triggers.OfType<EventTrigger>().Any(t => t.Event == e.Kind && (t.Event != EventKind.ProcessCompleted || t.TemplateKey == e.TemplateKey)))
            {
                result.Add((id, template));
            }
        }

        return result;
    }
}
