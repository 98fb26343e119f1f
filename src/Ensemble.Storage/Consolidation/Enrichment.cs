using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Households;
using Ensemble.Processes.Running;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>How fresh one fact is across the firm.</summary>
public sealed record FactFreshness(string Fact, string Label, int? MaxAgeMonths, int Known, int Stale);

/// <summary>The firm's freshness: the share of known sourced facts still within their maximum age, overall and per fact.</summary>
public sealed record FirmFreshness(LocalDate Today, int Households, int HouseholdsWithStaleFacts, long Known, long Stale, double? Score, IReadOnlyList<FactFreshness> ByFact);

/// <summary>What a pass over stale facts did.</summary>
public sealed record RefreshWorkReport(int HouseholdsWithStaleFacts, int Started, int AlreadyOpen, IReadOnlyList<string> Errors);

/// <summary>What the daily pass did: sheets rebuilt as of the new day, and refresh work raised.</summary>
public sealed record DailyEnrichmentReport(int SheetsRebuilt, RefreshWorkReport Work);

/// <summary>
/// Keeps facts fresh. Every fact has a maximum age the firm sets; a client household with stale facts gets
/// one fact-refresh process for its paraplanner (never two open at once), and freshness is reported per
/// household and for the firm. Once a day the fact sheets are rebuilt, since ages and staleness move with
/// the calendar even when no source sends anything.
/// </summary>
public sealed class Enrichment(EnsembleDb db, IClock clock)
{
    /// <summary>The built-in template a refresh starts.</summary>
    public const string Template = "fact-refresh";

    private const string DailyCursor = "consolidation:daily";

    public async Task<FirmFreshness> FreshnessAsync(CancellationToken cancellationToken = default)
    {
        var (today, stale, byFact, known) = await ScanAsync(cancellationToken);
        var settings = await ConsolidationSettingsStore.GetAsync(db, cancellationToken);
        var lines = settings.Catalog.Sourced
            .Select(f => new FactFreshness(f.Key, f.Label, settings.RuleFor(f).MaxAgeMonths, byFact[f.Ordinal].Known, byFact[f.Ordinal].Stale))
            .ToList();
        long totalStale = lines.Sum(l => (long)l.Stale);
        return new FirmFreshness(today, known.Count, stale.Count, lines.Sum(l => (long)l.Known), totalStale,
            Freshness.Score((int)Math.Min(int.MaxValue, lines.Sum(l => (long)l.Known)), (int)Math.Min(int.MaxValue, totalStale)), lines);
    }

    /// <summary>Starts a fact-refresh process for every client household with stale facts that has none open. Safe to repeat.</summary>
    public async Task<RefreshWorkReport> RaiseWorkAsync(string actor, CancellationToken cancellationToken = default)
    {
        var (today, stale, _, _) = await ScanAsync(cancellationToken);
        if (stale.Count == 0)
        {
            return new RefreshWorkReport(0, 0, 0, []);
        }

        var version = await TemplateVersions.LatestAsync(db, Template, cancellationToken);
        if (version is null)
        {
            return new RefreshWorkReport(stale.Count, 0, 0, [$"The library has no {Template} template, so no refresh could start; import the built-in library to add it."]);
        }

        var clients = new List<HouseholdId>();
        foreach (var chunk in stale.Order().Chunk(500))
        {
            var ids = chunk.Select(id => new HouseholdId(id)).ToList();
            clients.AddRange(await db.Households.AsNoTracking()
                .Where(h => ids.Contains(h.Id) && h.Stage == LifecycleStage.Client)
                .Select(h => h.Id).ToListAsync(cancellationToken));
        }

        var open = new HashSet<HouseholdId>();
        foreach (var chunk in clients.Chunk(500))
        {
            var ids = chunk.Select(id => (HouseholdId?)id).ToList();
            open.UnionWith(await db.Instances.AsNoTracking()
                .Where(i => i.TemplateKey == Template && i.Status == InstanceStatus.Running && ids.Contains(i.HouseholdId))
                .Select(i => i.HouseholdId!.Value).ToListAsync(cancellationToken));
        }

        var items = clients.Where(id => !open.Contains(id))
            .Select(id => new BulkStartItem(id, new Dictionary<string, LocalDate>(), $"{Template}:{id}:{today:uuuu-MM-dd}"))
            .ToList();
        var started = items.Count == 0 ? new BulkStartReport(0, 0, []) : await new BulkStarter(db, clock).StartAsync(version.Id, items, actor, cancellationToken);
        return new RefreshWorkReport(stale.Count, started.Started, open.Count + started.AlreadyStarted, started.Errors);
    }

    /// <summary>Once per firm day (claimed, so one node does it): rebuild every fact sheet as of today and raise refresh work. Later calls that day return null.</summary>
    public async Task<DailyEnrichmentReport?> DailyAsync(string actor = "ensemble", CancellationToken cancellationToken = default)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var startOfToday = firm.Today(clock).AtStartOfDayInZone(firm.Zone).ToInstant();
        var claim = await DailyClaim.TryClaimAsync(db, DailyCursor, clock.GetCurrentInstant(), startOfToday, cancellationToken);
        if (!claim.Claimed)
        {
            return null;
        }

        try
        {
            var sheets = await new SourceRegistry(db, clock).RebuildSheetsAsync(null, cancellationToken);
            return new DailyEnrichmentReport(sheets, await RaiseWorkAsync(actor, cancellationToken));
        }
        catch
        {
            db.ChangeTracker.Clear();
            await DailyClaim.ReleaseAsync(db, DailyCursor, claim, CancellationToken.None);
            throw;
        }
    }

    // One pass over every consolidated value, judged as of today: the households with stale facts, and per fact how many are known and stale.
    private async Task<(LocalDate Today, HashSet<long> Stale, (int Known, int Stale)[] ByFact, HashSet<long> Known)> ScanAsync(CancellationToken cancellationToken)
    {
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var settings = await ConsolidationSettingsStore.GetAsync(db, cancellationToken);
        var catalog = settings.Catalog;
        var cutoffs = catalog.Facts.Select(f => f.Derived ? long.MinValue : Freshness.Cutoff(settings.RuleFor(f).MaxAgeMonths, today, firm.Zone)?.ToUnixTimeMilliseconds() ?? long.MinValue).ToArray();
        var byFact = new (int Known, int Stale)[catalog.Count];
        var stale = new HashSet<long>();
        var known = new HashSet<long>();
        await BulkSql.ReadAsync(db, "SELECT household_id, fact, verified_at FROM consolidated_values", r =>
        {
            if (!catalog.TryGet(r.GetString(1), out var fact) || fact.Derived)
            {
                return;
            }

            var household = r.GetInt64(0);
            known.Add(household);
            byFact[fact.Ordinal].Known++;
            if (r.GetInt64(2) < cutoffs[fact.Ordinal])
            {
                byFact[fact.Ordinal].Stale++;
                stale.Add(household);
            }
        }, cancellationToken);
        return (today, stale, byFact, known);
    }
}
