using Ensemble.Storage.Import;

namespace Ensemble.Storage.Consolidation;

/// <summary>What an import from a source did, or every problem that stopped it (then nothing was applied).</summary>
/// <param name="AlreadyImported">The same file was imported from this source before; nothing was done.</param>
public sealed record SourceImportReport(IReadOnlyList<ImportError> Errors, bool AlreadyImported, long? ImportId, int Entries, int Values, ConsolidationCounts Counts)
{
    public bool Succeeded => Errors.Count == 0;

    public static SourceImportReport Failed(IEnumerable<ImportError> errors) =>
        new(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList(), false, null, 0, 0, new ConsolidationCounts());
}
