using System.Globalization;
using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>A registered source with what it has sent.</summary>
public sealed record SourceLine(string Key, string Name, Instant AddedAt, long Values, int Imports, Instant? LastImportAt);

/// <summary>
/// The firm's data sources and its consolidation settings. Registering a source and editing the settings
/// are audited changes; a change of settings re-decides every consolidated value at once.
/// </summary>
public sealed class SourceRegistry(EnsembleDb db, IClock clock)
{
    public async Task<IReadOnlyList<SourceLine>> ListAsync(CancellationToken cancellationToken = default)
    {
        var sources = await db.DataSources.AsNoTracking().OrderBy(s => s.Key).ToListAsync(cancellationToken);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        await BulkSql.ReadAsync(db, "SELECT source, COUNT(*) FROM source_values GROUP BY source",
            r => values[r.GetString(0)] = Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), cancellationToken);
        var imports = await db.SourceImports.AsNoTracking().GroupBy(i => i.Source)
            .Select(g => new { Source = g.Key, Count = g.Count(), Last = g.Max(i => i.AppliedAt) })
            .ToDictionaryAsync(g => g.Source, StringComparer.Ordinal, cancellationToken);
        return sources.Select(s => new SourceLine(
            s.Key, s.Name, s.AddedAt, values.GetValueOrDefault(s.Key),
            imports.TryGetValue(s.Key, out var i) ? i.Count : 0, imports.TryGetValue(s.Key, out var last) ? last.Last : null)).ToList();
    }

    /// <summary>Registers a source; a key already registered is a conflict.</summary>
    public async Task<Result<DataSource>> AddAsync(string? key, string? name, string actor, CancellationToken cancellationToken = default)
    {
        var created = DataSource.Create(key, name, clock.GetCurrentInstant());
        if (!created.IsSuccess)
        {
            return created;
        }

        var source = created.Value;
        if (await db.DataSources.AnyAsync(s => s.Key == source.Key, cancellationToken))
        {
            return Error.Conflict($"key: the source \"{source.Key}\" is already registered.");
        }

        db.Actor = actor;
        db.Operation = "add-source";
        db.DataSources.Add(source);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return source;
    }

    /// <summary>Registers a source, or renames one already registered (for PUT, which may be repeated). Returns true when it was created.</summary>
    public async Task<Result<(DataSource Source, bool Created)>> SetAsync(string? key, string? name, string actor, CancellationToken cancellationToken = default)
    {
        var checkedKey = DataSource.CheckKey(key);
        if (!checkedKey.IsSuccess)
        {
            return checkedKey.Error!;
        }

        var existing = await db.DataSources.SingleOrDefaultAsync(s => s.Key == checkedKey.Value, cancellationToken);
        if (existing is null)
        {
            var added = await AddAsync(checkedKey.Value, name, actor, cancellationToken);
            return added.IsSuccess ? (added.Value, true) : added.Error!;
        }

        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            return Error.Invalid("name: give the source's name, 1 to 200 characters.");
        }

        db.Actor = actor;
        db.Operation = "rename-source";
        existing.Rename(name);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (existing, false);
    }

    /// <summary>Sources a precedence may name: those registered and those the catalog's defaults name.</summary>
    public async Task<IReadOnlySet<string>> KnownSourcesAsync(CancellationToken cancellationToken = default)
    {
        var known = new HashSet<string>(ConsolidationSettings.CatalogSources(FactCatalog.Default), StringComparer.Ordinal);
        known.UnionWith(await db.DataSources.AsNoTracking().Select(s => s.Key).ToListAsync(cancellationToken));
        return known;
    }

    /// <summary>Reads a settings document the firm edited, checking every source it names.</summary>
    public async Task<(ConsolidationSettings? Settings, IReadOnlyList<SettingsProblem> Problems)> ReadSettingsAsync(byte[] content, string file, CancellationToken cancellationToken = default)
    {
        var known = await KnownSourcesAsync(cancellationToken);
        return ConsolidationSettingsStore.Read(content, file, known);
    }

    /// <summary>
    /// Saves the firm's settings (audited) and re-decides every consolidated value and fact sheet under them,
    /// in one transaction. A document that changes nothing writes nothing.
    /// </summary>
    public async Task<ConsolidationCounts> SaveSettingsAsync(ConsolidationSettings settings, string actor, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        db.Actor = actor;
        db.Operation = "set-consolidation-settings";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ConsolidationLock.TakeAsync(db, cancellationToken);
        if (!await ConsolidationSettingsStore.SaveAsync(db, settings, cancellationToken))
        {
            return new ConsolidationCounts();
        }

        var ids = new List<long>();
        await BulkSql.ReadAsync(db, "SELECT DISTINCT household_id FROM source_values ORDER BY household_id", r => ids.Add(r.GetInt64(0)), cancellationToken);
        await using var run = new ConsolidationRun(db, settings, firm.Today(clock), firm.Zone, clock.GetCurrentInstant());
        await run.RecomputeAsync(ids, null, cancellationToken);
        await run.SettleTiersAsync(clock, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run.Counts;
    }

    /// <summary>Rebuilds the fact sheets of every household (or the given ones) as of today; returns how many were written.</summary>
    public async Task<int> RebuildSheetsAsync(IReadOnlyList<HouseholdId>? only = null, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var settings = await ConsolidationSettingsStore.GetAsync(db, cancellationToken);
        return await FactSheetWriter.RebuildAsync(db, settings, firm.Today(clock), firm.Zone, clock.GetCurrentInstant(), only, cancellationToken);
    }
}
