using Ensemble.Common;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>The firm's advisory settings as one JSON document (one row, id 1), so an edit is one audited change.</summary>
public sealed class AdvisorySettingsRow
{
    public int Id { get; init; } = 1;

    public required string Document { get; set; }

    public int Version { get; set; }
}

/// <summary>One run of the framework over the book: when, by whom, and what it changed.</summary>
public sealed class AdvisoryRunRow
{
    public long Id { get; init; }

    public Instant StartedAt { get; init; }

    public Instant? FinishedAt { get; set; }

    /// <summary>"ensemble" for the nightly run, else the person who asked for it.</summary>
    public required string Actor { get; init; }

    /// <summary>The version of the advisory settings whose framework ran (0: the built-in one, never edited).</summary>
    public int FrameworkVersion { get; init; }

    public int Households { get; set; }

    public int Raised { get; set; }

    public int VariantChanged { get; set; }

    public int Resolved { get; set; }

    public int CouldNotEvaluate { get; set; }

    /// <summary>Why the run stopped, when it did not finish.</summary>
    public string? Failure { get; set; }
}

/// <summary>
/// A rule that could not be evaluated for a household in the last run (a value missing, a division by zero, an
/// overflow), with the reason: the list a paraplanner works through to complete the files.
/// </summary>
public sealed class UnevaluatedRow
{
    public HouseholdId HouseholdId { get; init; }

    public required string RuleKey { get; init; }

    public required string Reason { get; set; }

    public Instant RecordedAt { get; set; }
}
