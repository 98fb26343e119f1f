using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>Reads one household's facts with their lineage, for the household page, the API and the CLI.</summary>
public sealed class HouseholdFactsReader(EnsembleDb db, IClock clock)
{
    public async Task<Result<HouseholdFactsView>> ReadAsync(string householdKey, CancellationToken cancellationToken = default)
    {
        var household = await db.Households.AsNoTracking().Where(h => h.Key == householdKey).Select(h => new { h.Id, h.Key, h.Name }).SingleOrDefaultAsync(cancellationToken);
        if (household is null)
        {
            return Error.NotFound($"There is no household {householdKey}.");
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var settings = await ConsolidationSettingsStore.GetAsync(db, cancellationToken);
        var catalog = settings.Catalog;
        var consolidated = await db.ConsolidatedValues.AsNoTracking().Where(v => v.HouseholdId == household.Id).ToDictionaryAsync(v => v.Fact, StringComparer.Ordinal, cancellationToken);
        var sources = (await db.SourceValues.AsNoTracking().Where(v => v.HouseholdId == household.Id).ToListAsync(cancellationToken)).ToLookup(v => v.Fact, StringComparer.Ordinal);
        var importIds = sources.SelectMany(g => g).Where(v => v.ImportId != null).Select(v => v.ImportId!.Value).Distinct().ToList();
        var files = await db.SourceImports.AsNoTracking().Where(i => importIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.FileName, cancellationToken);
        var discrepancies = (await new DiscrepancyDesk(db, clock).ListAsync(householdKey, false, 100, cancellationToken)).Value;
        var openByFact = discrepancies.ToDictionary(d => d.Fact, d => d.Id, StringComparer.Ordinal);

        var lines = new List<FactLine>();
        int known = 0, stale = 0;
        foreach (var fact in catalog.Sourced)
        {
            var rule = settings.RuleFor(fact);
            var held = sources[fact.Key].OrderBy(v => v.Source, StringComparer.Ordinal).ToList();
            consolidated.TryGetValue(fact.Key, out var value);
            var isStale = value is not null && Freshness.IsStale(rule.MaxAgeMonths, value.VerifiedAt, today, firm.Zone);
            if (value is not null)
            {
                known++;
                stale += isStale ? 1 : 0;
            }

            lines.Add(new FactLine(
                fact.Key, fact.Label, fact.Kind,
                value is null ? null : FactValueText.Format(fact.Kind, value.Value), value?.Value, value?.Source, value?.ArrivedAt, value?.VerifiedAt,
                rule.MaxAgeMonths, value is null ? null : Freshness.FreshUntil(rule.MaxAgeMonths, value.VerifiedAt, firm.Zone), isStale, value?.ChosenBy,
                openByFact.TryGetValue(fact.Key, out var open) ? open : null,
                held.Select(v => new SourceValueLine(
                    v.Source, FactValueText.Format(fact.Kind, v.Value), v.ArrivedAt, v.VerifiedAt, Freshness.IsStale(rule.MaxAgeMonths, v.VerifiedAt, today, firm.Zone),
                    value?.Source == v.Source, v.ImportId is { } i && files.TryGetValue(i, out var f) ? f : null)).ToList()));
        }

        var sheet = await db.FactSheets.AsNoTracking().SingleOrDefaultAsync(s => s.HouseholdId == household.Id, cancellationToken);
        var derived = new List<DerivedLine>();
        if (sheet is not null)
        {
            var numbers = FactSheet.Empty(catalog);
            FactSheet.Unpack(sheet.Sheet, numbers);
            derived.AddRange(catalog.Facts.Where(f => f.Derived).Select(f => new DerivedLine(
                f.Key, f.Label, f.Kind, FactValueText.Format(f.Kind, numbers[f.Ordinal], f.Options), double.IsNaN(numbers[f.Ordinal]) ? null : numbers[f.Ordinal])));
        }

        return new HouseholdFactsView(household.Key, household.Name, today, Freshness.Score(known, stale), known, stale, lines, derived, discrepancies, sheet?.ComputedAt);
    }
}
