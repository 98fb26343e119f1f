using Ensemble.Common;
using Ensemble.Storage.ServiceModel;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

internal sealed partial class ConsolidationRun
{
    /// <summary>
    /// After the run, inside its transaction: households whose record changed have their tiers decided again,
    /// as a household import does — at once for a few, at the next sweep for a whole book — and where a tier
    /// moved, their fact sheets are rebuilt so the framework reads the tier in force.
    /// </summary>
    public async Task SettleTiersAsync(IClock clock, string actor, CancellationToken cancellationToken)
    {
        var changed = RecordChanged.Order().Select(id => new HouseholdId(id)).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        if (changed.Count > TierBook.InlineRecomputeLimit)
        {
            await TierBook.RecomputeAtNextSweepAsync(_db, cancellationToken);
            return;
        }

        var operation = _db.Operation;
        _db.ChangeTracker.Clear();
        var report = await new TierBook(_db, clock).RecomputeAsync(changed, actor, cancellationToken);
        _db.ChangeTracker.Clear();
        _db.Operation = operation;
        if (report.Moved > 0 || report.FirstDecisions > 0)
        {
            await FactSheetWriter.RebuildAsync(_db, _settings, _today, _zone, _nowInstant, changed, cancellationToken);
        }
    }
}
