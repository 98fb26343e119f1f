using System.Collections.Concurrent;
using System.Text.Json;
using Ensemble.Advisory;
using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Consolidation;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// Reads and saves the firm's advisory settings: the framework text the firm edits and the places of alert types on
/// the canvas. A framework that does not parse or type-check is refused with every problem at file:line:column and
/// nothing changes. Compiled frameworks are cached per settings document, so compiling happens once per edit.
/// </summary>
public static class AdvisorySettingsStore
{
    /// <summary>The name framework problems are reported against when the text came from the settings.</summary>
    public const string StoredFile = "framework.rules";

    private const int CacheSize = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private static readonly ConcurrentDictionary<string, FirmFramework> Compiled = new(StringComparer.Ordinal);

    /// <summary>The framework in force, compiled (from the cache when this settings document was seen before).</summary>
    public static async Task<FirmFramework> GetAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var row = await db.AdvisorySettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return For(row?.Document, row?.Version ?? 0);
    }

    /// <summary>Parses and type-checks a framework file without saving it.</summary>
    public static FrameworkLoadResult Check(string text, string file) => AdvisoryFramework.Load(text, file, FactCatalog.Default);

    /// <summary>Makes <paramref name="text"/> the firm's framework if it loads; otherwise refuses it with every problem (file:line:column) and changes nothing.</summary>
    public static async Task<Result<FirmFramework>> SetFrameworkAsync(EnsembleDb db, string text, string file, string actor, CancellationToken cancellationToken = default)
    {
        var loaded = Check(text, file);
        if (!loaded.Succeeded)
        {
            return Error.Invalid(string.Join(Environment.NewLine, loaded.Diagnostics));
        }

        var current = await GetAsync(db, cancellationToken);

        // Places of types the new framework no longer has are dropped; the rest stay where the firm put them.
        var types = loaded.Framework!.Rules.SelectMany(r => r.Variants.Select((_, v) => r.TypeKey(v))).ToHashSet(StringComparer.Ordinal);
        var canvas = current.Settings.Canvas.Where(c => types.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var framework = text == BuiltInFramework.Source ? null : text;
        return await SaveAsync(db, new AdvisorySettings(framework, canvas), actor, "set-advisory-framework", cancellationToken);
    }

    /// <summary>Puts the framework Ensemble ships back in force (the canvas is kept).</summary>
    public static async Task<Result<FirmFramework>> UseBuiltInAsync(EnsembleDb db, string actor, CancellationToken cancellationToken = default) =>
        await SetFrameworkAsync(db, BuiltInFramework.Source, BuiltInFramework.FileName, actor, cancellationToken);

    /// <summary>Moves an alert type on the canvas; <paramref name="position"/> null puts it back where its variant says.</summary>
    public static async Task<Result<AlertType>> MoveTypeAsync(EnsembleDb db, string typeKey, CanvasPosition? position, string actor, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(db, cancellationToken);
        if (current.Type(typeKey) is null)
        {
            return Error.NotFound($"type: there is no alert type \"{typeKey}\" in the firm's framework.");
        }

        if (position is not null && AlertCanvas.Check(position) is { } problem)
        {
            return Error.Invalid(problem);
        }

        var canvas = new Dictionary<string, CanvasPosition>(current.Settings.Canvas, StringComparer.Ordinal);
        if (position is null)
        {
            canvas.Remove(typeKey);
        }
        else
        {
            canvas[typeKey] = position;
        }

        var saved = await SaveAsync(db, current.Settings with { Canvas = canvas }, actor, "move-alert-type", cancellationToken);
        return saved.IsSuccess ? saved.Value.Type(typeKey)! : saved.Error!;
    }

    private static async Task<Result<FirmFramework>> SaveAsync(EnsembleDb db, AdvisorySettings settings, string actor, string operation, CancellationToken cancellationToken)
    {
        var document = JsonSerializer.Serialize(settings, Json);
        db.Actor = actor;
        db.Operation = operation;
        var row = await db.AdvisorySettings.FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            row = new AdvisorySettingsRow { Document = document, Version = 1 };
            db.AdvisorySettings.Add(row);
        }
        else if (row.Document != document)
        {
            row.Document = document;
            row.Version++;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || Work.Conflicts.IsUniqueViolation(ex))
        {
            return Error.Conflict("Someone else changed the advisory settings at the same moment; read them again and retry.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return For(row.Document, row.Version);
    }

    private static FirmFramework For(string? document, int version)
    {
        if (document is null)
        {
            return Compiled.GetOrAdd("", _ => new FirmFramework(BuiltInFramework.Framework, true, 0, AdvisorySettings.Default, []));
        }

        if (Compiled.TryGetValue(document, out var cached) && cached.Version == version)
        {
            return cached;
        }

        if (Compiled.Count >= CacheSize)
        {
            Compiled.Clear();
        }

        var compiled = Compile(document, version);
        Compiled[document] = compiled;
        return compiled;
    }

    private static FirmFramework Compile(string document, int version)
    {
        var settings = JsonSerializer.Deserialize<AdvisorySettings>(document, Json) ?? AdvisorySettings.Default;
        settings = settings with { Canvas = new Dictionary<string, CanvasPosition>(settings.Canvas ?? new Dictionary<string, CanvasPosition>(), StringComparer.Ordinal) };
        if (settings.Framework is null)
        {
            return new FirmFramework(BuiltInFramework.Framework, true, version, settings, []);
        }

        // A framework saved under an older catalog may no longer type-check: the built-in one runs, and the problems are shown.
        var loaded = Check(settings.Framework, StoredFile);
        return loaded.Succeeded
            ? new FirmFramework(loaded.Framework!, false, version, settings, [])
            : new FirmFramework(BuiltInFramework.Framework, true, version, settings, loaded.Diagnostics);
    }
}
