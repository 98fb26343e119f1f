using System.Security.Cryptography;
using System.Text;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Library;

/// <summary>What importing one template file did.</summary>
public sealed record TemplateImport(string Key, string Name, int Version, bool Changed);

/// <summary>How many instances run on each version of a template.</summary>
public sealed record VersionUsage(string Key, int Version, Instant CreatedAt, string CreatedBy, int Running, int Finished);

/// <summary>
/// The firm's process templates: validated on import (every error at once, with file, line and
/// column), versioned when their content changes, exported back to YAML.
/// </summary>
public sealed class TemplateLibrary(EnsembleDb db, IClock clock)
{
    /// <summary>Validates files without storing anything.</summary>
    public async Task<IReadOnlyList<TemplateDiagnostic>> ValidateAsync(IEnumerable<string> files, CancellationToken cancellationToken = default)
    {
        var roles = await RolesAsync(cancellationToken);
        var diagnostics = new List<TemplateDiagnostic>();
        foreach (var file in Expand(files))
        {
            diagnostics.AddRange(Load(file, roles).Diagnostics);
        }

        return diagnostics;
    }

    /// <summary>
    /// Imports template files. All or nothing: if any file has an error, nothing is stored and every
    /// error is returned. Files whose content is unchanged add no version.
    /// </summary>
    public async Task<Result<IReadOnlyList<TemplateImport>>> ImportAsync(IEnumerable<string> files, string actor, CancellationToken cancellationToken = default)
    {
        var roles = await RolesAsync(cancellationToken);
        var loaded = new List<(string Yaml, ProcessTemplate Template)>();
        var diagnostics = new List<TemplateDiagnostic>();
        var paths = Expand(files).ToList();
        if (paths.Count == 0)
        {
            return Error.Invalid("No template files (*.yaml) were found at the given paths.");
        }

        foreach (var file in paths)
        {
            var result = Load(file, roles);
            diagnostics.AddRange(result.Diagnostics);
            if (result.Succeeded)
            {
                loaded.Add((File.ReadAllText(file), result.Template!));
            }
        }

        foreach (var duplicate in loaded.GroupBy(l => l.Template.Key).Where(g => g.Count() > 1))
        {
            diagnostics.Add(new TemplateDiagnostic(duplicate.Key, 1, 1, $"{duplicate.Count()} files define the template key \"{duplicate.Key}\"; each key must be defined once."));
        }

        if (diagnostics.Count > 0)
        {
            return Error.Invalid(string.Join(Environment.NewLine, diagnostics));
        }

        return await StoreAsync(loaded, actor, cancellationToken);
    }

    /// <summary>Stores already-validated YAML texts (used by init and the demo with the built-in library).</summary>
    public async Task<Result<IReadOnlyList<TemplateImport>>> ImportTextsAsync(IEnumerable<(string Name, string Yaml)> texts, string actor, CancellationToken cancellationToken = default)
    {
        var roles = await RolesAsync(cancellationToken);
        var loaded = new List<(string, ProcessTemplate)>();
        var diagnostics = new List<TemplateDiagnostic>();
        foreach (var (name, yaml) in texts)
        {
            var result = TemplateLoader.Load(yaml, name, roles);
            diagnostics.AddRange(result.Diagnostics);
            if (result.Succeeded)
            {
                loaded.Add((yaml, result.Template!));
            }
        }

        return diagnostics.Count > 0 ? Error.Invalid(string.Join(Environment.NewLine, diagnostics)) : await StoreAsync(loaded, actor, cancellationToken);
    }

    public Task<List<TemplateVersion>> ListAsync(CancellationToken cancellationToken = default) => TemplateVersions.AllLatestAsync(db, cancellationToken);

    public async Task<Result<(TemplateVersion Version, ProcessTemplate Template)>> ShowAsync(string key, int? number = null, CancellationToken cancellationToken = default)
    {
        var version = number is null
            ? await TemplateVersions.LatestAsync(db, key, cancellationToken)
            : await db.TemplateVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Key == key && v.Number == number, cancellationToken);
        if (version is null)
        {
            return Error.NotFound($"There is no template \"{key}\"{(number is null ? "" : $" version {number}")}; `ensemble templates list` shows them.");
        }

        return (version, await TemplateCache.GetAsync(db, version.Id, cancellationToken));
    }

    /// <summary>Writes the latest version of every template to a folder, one file per template, in category folders.</summary>
    public async Task<int> ExportAsync(string folder, CancellationToken cancellationToken = default)
    {
        var count = 0;
        foreach (var version in await ListAsync(cancellationToken))
        {
            var category = CategoryFolder(version.Category);
            var directory = Path.Combine(folder, category);
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, version.Key + ".yaml"), version.Yaml, cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary>Which instances run on which version: the answer to "what does this edit affect?".</summary>
    public async Task<IReadOnlyList<VersionUsage>> UsageAsync(string? key, CancellationToken cancellationToken = default)
    {
        var versions = await db.TemplateVersions.AsNoTracking()
            .Where(v => key == null || v.Key == key)
            .OrderBy(v => v.Key).ThenBy(v => v.Number)
            .ToListAsync(cancellationToken);
        var counts = await db.Instances.AsNoTracking()
            .Where(i => key == null || i.TemplateKey == key)
            .GroupBy(i => new { i.TemplateVersionId, Running = i.Status == InstanceStatus.Running })
            .Select(g => new { g.Key.TemplateVersionId, g.Key.Running, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return versions.Select(v => new VersionUsage(
                v.Key, v.Number, v.CreatedAt, v.CreatedBy,
                counts.Where(c => c.TemplateVersionId == v.Id && c.Running).Sum(c => c.Count),
                counts.Where(c => c.TemplateVersionId == v.Id && !c.Running).Sum(c => c.Count)))
            .ToList();
    }

    public static string CategoryFolder(TemplateCategory category) => category switch
    {
        TemplateCategory.ClientManagement => "client-management",
        TemplateCategory.ServiceRequests => "service-requests",
        TemplateCategory.Sales => "sales",
        TemplateCategory.Onboarding => "onboarding",
        TemplateCategory.PracticeManagement => "practice-management",
        _ => "marketing",
    };

    private async Task<Result<IReadOnlyList<TemplateImport>>> StoreAsync(List<(string Yaml, ProcessTemplate Template)> loaded, string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = "import-templates";
        var now = clock.GetCurrentInstant();
        var imports = new List<TemplateImport>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (yaml, template) in loaded)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
            var latest = await TemplateVersions.LatestAsync(db, template.Key, cancellationToken);
            if (latest is not null && latest.ContentHash == hash)
            {
                imports.Add(new TemplateImport(template.Key, template.Name, latest.Number, Changed: false));
                continue;
            }

            var number = (latest?.Number ?? 0) + 1;
            db.TemplateVersions.Add(new TemplateVersion(template.Key, number, template.Name, template.Category, yaml, hash, now, actor));
            imports.Add(new TemplateImport(template.Key, template.Name, number, Changed: true));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return imports;
    }

    private static TemplateLoadResult Load(string file, IReadOnlySet<string> roles)
    {
        try
        {
            return TemplateLoader.Load(File.ReadAllText(file), file, roles);
        }
        catch (IOException ex)
        {
            return new TemplateLoadResult(null, [new TemplateDiagnostic(file, 1, 1, $"cannot read the file: {ex.Message}")]);
        }
    }

    private async Task<IReadOnlySet<string>> RolesAsync(CancellationToken cancellationToken) =>
        (await db.Roles.AsNoTracking().Select(r => r.Key).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
