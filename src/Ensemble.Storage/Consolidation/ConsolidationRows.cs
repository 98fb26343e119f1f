using Ensemble.Common;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// What one source says about one fact of one household, with its lineage: when the value arrived
/// (it changes only when the content changes) and when the source last vouched for it.
/// </summary>
public sealed class SourceValueRow
{
    public HouseholdId HouseholdId { get; init; }

    public required string Fact { get; init; }

    public required string Source { get; init; }

    /// <summary>The value as a number (a date as its day number, a flag 0/1), as in the fact sheet.</summary>
    public double Value { get; set; }

    public Instant ArrivedAt { get; set; }

    public Instant VerifiedAt { get; set; }

    /// <summary>The file or push that last sent it.</summary>
    public long? ImportId { get; set; }
}

/// <summary>
/// The value Ensemble holds for a household's fact after weighing its sources: the winner and the
/// lineage of the winning value. A person's choice (resolving a discrepancy) is kept with who made it.
/// </summary>
public sealed class ConsolidatedValueRow
{
    public HouseholdId HouseholdId { get; init; }

    public required string Fact { get; init; }

    public double Value { get; set; }

    /// <summary>The winning source; null when a person stated the value.</summary>
    public string? Source { get; set; }

    public Instant ArrivedAt { get; set; }

    public Instant VerifiedAt { get; set; }

    /// <summary>Who chose this value or source when resolving a discrepancy; null when the firm's rule decided.</summary>
    public string? ChosenBy { get; set; }
}

/// <summary>One file (or push) a source sent: kept so the same file imported again is recognised and changes nothing.</summary>
public sealed class SourceImportRow
{
    public long Id { get; init; }

    public required string Source { get; init; }

    /// <summary>The file's name, or "api" for a push.</summary>
    public required string FileName { get; init; }

    /// <summary>SHA-256 of the content, lower-case hex.</summary>
    public required string ContentHash { get; init; }

    public int Rows { get; init; }

    public int Values { get; init; }

    /// <summary>Values that were new or different from what the source had sent before.</summary>
    public int Changed { get; init; }

    public Instant AppliedAt { get; init; }

    public required string AppliedBy { get; init; }
}

/// <summary>A household's facts packed as <see cref="Ensemble.Consolidation.FactSheet"/> bytes, what the advisory framework reads.</summary>
public sealed class FactSheetRow
{
    public HouseholdId HouseholdId { get; init; }

    public required byte[] Sheet { get; set; }

    public Instant ComputedAt { get; set; }

    /// <summary>Sourced facts known, and of those the ones past their maximum age when computed: the household's freshness.</summary>
    public int KnownFacts { get; set; }

    public int StaleFacts { get; set; }
}

/// <summary>The firm's consolidation settings as one JSON document (one row, id 1), so an edit is one audited change.</summary>
public sealed class ConsolidationSettingsRow
{
    public int Id { get; init; } = 1;

    public required string Document { get; set; }

    public int Version { get; set; }
}
