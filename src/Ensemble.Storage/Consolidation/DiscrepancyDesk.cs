using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>What one source says in a discrepancy, as people read it.</summary>
public sealed record SourceSays(string Source, string Value);

/// <summary>A discrepancy as shown: the household, the fact, what each source says, and how it was resolved.</summary>
public sealed record DiscrepancyView(
    long Id, string Household, string HouseholdName, string Fact, string Label, IReadOnlyList<SourceSays> Values,
    Instant DetectedAt, Instant? ResolvedAt, string? ResolvedBy, string? Resolution)
{
    public bool Open => ResolvedAt is null;
}

/// <summary>
/// Lists discrepancies and lets a person resolve one by choosing a source or stating the value. The choice
/// is an audited change and holds until a source sends a new value for the fact.
/// </summary>
public sealed class DiscrepancyDesk(EnsembleDb db, IClock clock)
{
    /// <summary>Open discrepancies (with <paramref name="resolvedToo"/>, the resolved ones as well), newest first.</summary>
    public async Task<Result<IReadOnlyList<DiscrepancyView>>> ListAsync(string? householdKey, bool resolvedToo = false, int limit = 500, CancellationToken cancellationToken = default)
    {
        var query = db.Discrepancies.AsNoTracking();
        if (householdKey is not null)
        {
            var id = await db.Households.AsNoTracking().Where(h => h.Key == householdKey).Select(h => (HouseholdId?)h.Id).SingleOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                return Error.NotFound($"There is no household {householdKey}.");
            }

            query = query.Where(d => d.HouseholdId == id.Value);
        }

        if (!resolvedToo)
        {
            query = query.Where(d => d.ResolvedAt == null);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        return Result<IReadOnlyList<DiscrepancyView>>.Success(await ViewsAsync(rows, cancellationToken));
    }

    /// <summary>Resolves a discrepancy by taking one source's value, or a value the person states (as written for the fact's kind).</summary>
    public async Task<Result<DiscrepancyView>> ResolveAsync(long id, string? source, string? value, string actor, string? householdKey = null, CancellationToken cancellationToken = default)
    {
        var found = await db.Discrepancies.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (found is null || (householdKey is not null && !await db.Households.AnyAsync(h => h.Id == found.HouseholdId && h.Key == householdKey, cancellationToken)))
        {
            return Error.NotFound($"There is no discrepancy {id}{(householdKey is null ? "" : $" for household {householdKey}")}.");
        }

        if (string.IsNullOrWhiteSpace(source) == string.IsNullOrWhiteSpace(value))
        {
            return Error.Invalid("source: choose either a source or a value.");
        }

        if (!FactCatalog.Default.TryGet(found.Fact, out var fact))
        {
            return Error.Invalid($"fact: {found.Fact} is no longer a fact Ensemble knows.");
        }

        var now = clock.GetCurrentInstant();
        Result<Discrepancy> resolved;
        if (!string.IsNullOrWhiteSpace(source))
        {
            resolved = found.ChooseSource(source.Trim().ToLowerInvariant(), actor, now);
        }
        else if (FactValueText.TryParse(fact.Kind, value!, out var number, out var error))
        {
            resolved = found.ChooseValue(number, FactValueText.Format(fact.Kind, number), actor, now);
        }
        else
        {
            return Error.Invalid($"value: {error}.");
        }

        if (!resolved.IsSuccess)
        {
            db.ChangeTracker.Clear();
            return resolved.Error!;
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var settings = await ConsolidationSettingsStore.GetAsync(db, cancellationToken);
        db.Actor = actor;
        db.Operation = "resolve-discrepancy";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ConsolidationLock.TakeAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var choice = new PersonChoice(found.ChosenSource, found.ChosenValue!.Value, now.ToUnixTimeMilliseconds(), actor);
        await using (var run = new ConsolidationRun(db, settings, firm.Today(clock), firm.Zone, now))
        {
            await run.RecomputeAsync([found.HouseholdId.Value], new Dictionary<(long, int), PersonChoice?> { [(found.HouseholdId.Value, fact.Ordinal)] = choice }, cancellationToken);
            await run.SettleTiersAsync(clock, actor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (await ViewsAsync([found], cancellationToken))[0];
    }

    private async Task<IReadOnlyList<DiscrepancyView>> ViewsAsync(IReadOnlyList<Discrepancy> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.HouseholdId).Distinct().ToList();
        var names = await db.Households.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => (h.Key, h.Name), cancellationToken);
        return rows.Select(r =>
        {
            var (key, name) = names.GetValueOrDefault(r.HouseholdId, ("?", "?"));
            var fact = FactCatalog.Default.TryGet(r.Fact, out var f) ? f : null;
            var values = r.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new SourceSays(v.Key, fact is null ? v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : FactValueText.Format(fact.Kind, v.Value)))
                .ToList();
            return new DiscrepancyView(r.Id, key, name, r.Fact, fact?.Label ?? r.Fact, values, r.DetectedAt, r.ResolvedAt, r.ResolvedBy, r.Resolution);
        }).ToList();
    }
}
