using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage.Import;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Takes in what a source sends, by file (CSV or JSON) or by push, and consolidates what it changes.
/// Everything is checked first and every problem reported with its place; then the whole file is applied
/// in one transaction, or nothing is. The same file again is recognised by its content and changes nothing;
/// a value already held with the same content only has its verification moved forward.
/// </summary>
public sealed class SourceIntake(EnsembleDb db, IClock clock)
{
    /// <summary>The file name recorded for values pushed through the API.</summary>
    public const string Push = "api";

    /// <summary>Files touching at most this many households re-evaluate their alerts in the import; larger ones leave it to the nightly run.</summary>
    public const int InlineEvaluationLimit = 2_000;

    // Above this many households a file is matched against all households in one read rather than key by key.
    private const int WholeBookLookup = 20_000;

    /// <summary>Imports a file: JSON when it ends in .json, else CSV.</summary>
    public async Task<Result<SourceImportReport>> ImportFileAsync(string source, string path, string actor, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var now = clock.GetCurrentInstant();
        var catalog = FactCatalog.Default;
        var incoming = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? SourceJsonReader.ReadFile(path, catalog, firm.Zone, now)
            : SourceCsvReader.Read(path, catalog, firm.Zone, now);
        return await ApplyAsync(source, incoming, once: true, actor, cancellationToken);
    }

    /// <summary>Takes values pushed by a source's integration (the JSON shape of a file). A push is applied every time it is sent; retries are the caller's Idempotency-Key.</summary>
    public async Task<Result<SourceImportReport>> PushAsync(string source, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var incoming = SourceJsonReader.Read(body.Span, "body", FactCatalog.Default, firm.Zone, clock.GetCurrentInstant());
        return await ApplyAsync(source, incoming, once: false, actor, cancellationToken);
    }

    private async Task<Result<SourceImportReport>> ApplyAsync(string source, IncomingValues incoming, bool once, string actor, CancellationToken cancellationToken)
    {
        var key = source.Trim().ToLowerInvariant();
        if (!await db.DataSources.AnyAsync(s => s.Key == key, cancellationToken))
        {
            return Error.NotFound($"There is no source \"{source}\"; register it first (ensemble sources add {key} --name \"…\").");
        }

        // Households are checked even when rows already have problems, so one pass reports them all.
        var ids = await HouseholdIdsAsync(incoming, cancellationToken);
        var households = Group(incoming, ids, clock.GetCurrentInstant().ToUnixTimeMilliseconds());
        if (incoming.Errors.Count > 0)
        {
            return SourceImportReport.Failed(incoming.Errors);
        }

        if (once && await db.SourceImports.AnyAsync(i => i.Source == key && i.ContentHash == incoming.ContentHash, cancellationToken))
        {
            return new SourceImportReport([], true, null, incoming.Entries.Count, incoming.Values.Count, new ConsolidationCounts());
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var settings = await ConsolidationSettingsStore.GetAsync(db, cancellationToken);
        var now = clock.GetCurrentInstant();
        db.Actor = actor;
        db.Operation = "import-source";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ConsolidationLock.TakeAsync(db, cancellationToken);
        var log = new SourceImportRow
        {
            Source = key,
            FileName = !once ? Push : incoming.File.Length > 300 ? incoming.File[..300] : incoming.File,
            ContentHash = incoming.ContentHash,
            Rows = incoming.Entries.Count,
            Values = incoming.Values.Count,
            AppliedAt = now,
            AppliedBy = actor,
        };
        db.SourceImports.Add(log);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        await using var run = new ConsolidationRun(db, settings, firm.Today(clock), firm.Zone, now);
        await run.ApplyAsync(key, log.Id, households, cancellationToken);
        await run.SettleTiersAsync(clock, actor, cancellationToken);
        var changed = run.Counts.ValuesCreated + run.Counts.ValuesChanged + run.Counts.ValuesReverified;
        await db.Database.ExecuteSqlRawAsync("UPDATE source_imports SET changed_count = {0} WHERE id = {1}", [changed, log.Id], cancellationToken);
        if (changed > 0 && households.Count <= InlineEvaluationLimit)
        {
            // A small file's households get their alerts at once, in the import's transaction; a whole book waits for the nightly run.
            await new Advisory.AdvisoryRun(db, clock).EvaluateHouseholdsAsync(households.Select(h => new HouseholdId(h.HouseholdId)).ToList(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new SourceImportReport([], false, log.Id, incoming.Entries.Count, incoming.Values.Count, run.Counts);
    }

    private async Task<Dictionary<string, long>> HouseholdIdsAsync(IncomingValues incoming, CancellationToken cancellationToken)
    {
        var keys = incoming.Entries.Select(e => e.HouseholdKey).Distinct(StringComparer.Ordinal).ToList();
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        if (keys.Count > WholeBookLookup)
        {
            await BulkSql.ReadAsync(db, "SELECT key, id FROM households", r => ids[r.GetString(0)] = r.GetInt64(1), cancellationToken);
        }
        else
        {
            foreach (var chunk in keys.Chunk(500))
            {
                foreach (var h in await db.Households.AsNoTracking().Where(h => chunk.Contains(h.Key)).Select(h => new { h.Key, h.Id }).ToListAsync(cancellationToken))
                {
                    ids[h.Key] = h.Id.Value;
                }
            }
        }

        return ids;
    }

    // Values by household (sorted by id) and fact; unknown households and facts given twice for one household are reported at their place.
    private static List<HouseholdValues> Group(IncomingValues incoming, Dictionary<string, long> ids, long now)
    {
        foreach (var entry in incoming.Entries.Where(e => !ids.ContainsKey(e.HouseholdKey)))
        {
            incoming.Error(entry.Line, entry.Column, entry.Field, $"household \"{entry.HouseholdKey}\" does not exist (import households first)");
        }

        var catalog = FactCatalog.Default;
        var byHousehold = new Dictionary<long, List<(IncomingValue Value, long Verified)>>();
        foreach (var value in incoming.Values)
        {
            var entry = incoming.Entries[value.Entry];
            if (!ids.TryGetValue(entry.HouseholdKey, out var id))
            {
                continue;
            }

            if (!byHousehold.TryGetValue(id, out var list))
            {
                byHousehold[id] = list = [];
            }

            list.Add((value, entry.VerifiedAt?.ToUnixTimeMilliseconds() ?? now));
        }

        var result = new List<HouseholdValues>(byHousehold.Count);
        foreach (var (id, list) in byHousehold.OrderBy(kv => kv.Key))
        {
            list.Sort((a, b) => a.Value.Ordinal != b.Value.Ordinal ? a.Value.Ordinal.CompareTo(b.Value.Ordinal) : a.Value.Line.CompareTo(b.Value.Line));
            var values = new List<NewValue>(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                var (value, verified) = list[i];
                if (i > 0 && list[i - 1].Value.Ordinal == value.Ordinal)
                {
                    var fact = catalog[value.Ordinal].Key;
                    incoming.Error(value.Line, value.Column, fact, $"{fact} for household \"{incoming.Entries[value.Entry].HouseholdKey}\" is given again (first on line {list[i - 1].Value.Line})");
                    continue;
                }

                values.Add(new NewValue(value.Ordinal, value.Value, verified));
            }

            result.Add(new HouseholdValues(id, [.. values]));
        }

        return result;
    }
}
