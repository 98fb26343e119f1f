using Ensemble.Common;
using Ensemble.Consolidation;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>Builds and stores the fact sheets of one range of households at a time.</summary>
internal sealed class FactSheetWriter(EnsembleDb db, FactSheetBuilder builder, Instant now) : IAsyncDisposable
{
    private static readonly string[] Columns = ["household_id", "sheet", "computed_at", "known_facts", "stale_facts"];

    private readonly BulkSql _upsert = BulkSql.Upsert(db, "fact_sheets", Columns, ["household_id"]);
    private readonly double[] _sheet = new double[builder.Catalog.Count];
    private readonly long _now = now.ToUnixTimeMilliseconds();

    public int Written => _upsert.Written;

    public FactCatalog Catalog => builder.Catalog;

    /// <param name="values">Each household's consolidated values (households without any may be missing).</param>
    /// <param name="openDiscrepancies">Each household's open discrepancies (missing means none).</param>
    public async Task WriteAsync(HouseholdChunk chunk, IReadOnlyDictionary<long, List<SheetValue>> values,
        IReadOnlyDictionary<long, int> openDiscrepancies, CancellationToken cancellationToken)
    {
        var set = chunk.Set();
        var inputs = await DerivedInputsReader.ReadAsync(db, chunk, set, builder.Today, cancellationToken);
        foreach (var id in set)
        {
            if (!inputs.TryGetValue(id, out var derived))
            {
                continue;
            }

            derived = derived with { OpenDiscrepancies = openDiscrepancies.GetValueOrDefault(id) };
            var sourced = values.TryGetValue(id, out var list) ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : [];
            var (known, stale) = builder.Build(_sheet, sourced, derived);
            await _upsert.AddAsync([id, FactSheet.Pack(_sheet), _now, known, stale], cancellationToken);
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _upsert.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => _upsert.DisposeAsync();

    /// <summary>
    /// Rebuilds the sheets of the given households (all when null) from what is stored, streaming by id
    /// range: for the nightly run, after a change of settings, or when derived inputs changed elsewhere.
    /// </summary>
    public static async Task<int> RebuildAsync(EnsembleDb db, ConsolidationSettings settings, LocalDate today, DateTimeZone zone, Instant now,
        IReadOnlyList<HouseholdId>? only, CancellationToken cancellationToken)
    {
        var ids = only is null ? await AllHouseholdsAsync(db, cancellationToken) : only.Select(h => h.Value).Distinct().Order().ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await WriteAllAsync(db, new FactSheetBuilder(settings, today, zone), now, ids, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // The connection stays open throughout, so the writer's prepared statement outlives each chunk's transaction.
    private static async Task<int> WriteAllAsync(EnsembleDb db, FactSheetBuilder builder, Instant now, List<long> ids, CancellationToken cancellationToken)
    {
        var catalog = builder.Catalog;
        await using var writer = new FactSheetWriter(db, builder, now);
        var own = db.Database.CurrentTransaction is null;
        foreach (var chunk in HouseholdChunks.Of(ids, 5000))
        {
            // A whole book is written a chunk per transaction, so other writers wait a moment, not the whole rebuild.
            await using var transaction = own ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var values = new Dictionary<long, List<SheetValue>>();
            var open = new Dictionary<long, int>();
            var range = chunk.Parameters;
            await BulkSql.ReadAsync(db, "SELECT household_id, fact, value, verified_at FROM consolidated_values WHERE " + chunk.Filter("household_id"), r =>
            {
                if (catalog.TryGet(r.GetString(1), out var fact) && !fact.Derived)
                {
                    var id = r.GetInt64(0);
                    if (!values.TryGetValue(id, out var list))
                    {
                        values[id] = list = new List<SheetValue>(catalog.Count);
                    }

                    list.Add(new SheetValue(fact.Ordinal, r.GetDouble(2), r.GetInt64(3)));
                }
            }, cancellationToken, range);
            await BulkSql.ReadAsync(db, "SELECT household_id, COUNT(*) FROM discrepancies WHERE resolved_at IS NULL AND " + chunk.Filter("household_id") + " GROUP BY household_id",
                r => open[r.GetInt64(0)] = Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), cancellationToken, range);
            await writer.WriteAsync(chunk, values, open, cancellationToken);
            await writer.FlushAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        return writer.Written;
    }

    private static async Task<List<long>> AllHouseholdsAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await BulkSql.ReadAsync(db, "SELECT id FROM households ORDER BY id", r => ids.Add(r.GetInt64(0)), cancellationToken);
        return ids;
    }
}
