using System.Collections.Concurrent;
using Ensemble.Common;
using Ensemble.Processes.Templates;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Work;

/// <summary>
/// Parsed template versions, shared by all contexts of the process. Safe because versions are
/// immutable; keyed by content hash so two databases can never see each other's templates.
/// </summary>
public static class TemplateCache
{
    private static readonly ConcurrentDictionary<string, ProcessTemplate> ByHash = new(StringComparer.Ordinal);

    // A version row never changes, so its hash is read once per database and version: every task transition asks.
    // (A database file replaced under a running process is not supported anyway.)
    private static readonly ConcurrentDictionary<(string Database, TemplateVersionId Id), (string ContentHash, string Key)> VersionById = new();

    /// <summary>The parsed template when the caller already knows the version's content hash (no query on a hit).</summary>
    public static Task<ProcessTemplate> GetAsync(EnsembleDb db, TemplateVersionId id, string contentHash, CancellationToken cancellationToken = default) =>
        ByHash.TryGetValue(contentHash, out var cached) ? Task.FromResult(cached) : GetAsync(db, id, cancellationToken);

    public static async Task<ProcessTemplate> GetAsync(EnsembleDb db, TemplateVersionId id, CancellationToken cancellationToken = default)
    {
        var database = db.Database.GetConnectionString() ?? "";
        if (!VersionById.TryGetValue((database, id), out var version))
        {
            var row = await db.TemplateVersions.AsNoTracking()
                .Where(v => v.Id == id)
                .Select(v => new { v.ContentHash, v.Key })
                .SingleAsync(cancellationToken);
            version = (row.ContentHash, row.Key);
            VersionById[(database, id)] = version;
        }

        if (ByHash.TryGetValue(version.ContentHash, out var cached))
        {
            return cached;
        }

        var yaml = await db.TemplateVersions.AsNoTracking().Where(v => v.Id == id).Select(v => v.Yaml).SingleAsync(cancellationToken);
        var roles = (await db.Roles.AsNoTracking().Select(r => r.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var result = TemplateLoader.Load(yaml, version.Key + ".yaml", roles);
        var template = result.Template ?? throw new InvalidOperationException(
            $"Stored template {version.Key} no longer loads: {string.Join("; ", result.Diagnostics)}");
        ByHash[version.ContentHash] = template;
        return template;
    }
}
