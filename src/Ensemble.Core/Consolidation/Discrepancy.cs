using Ensemble.Common;
using NodaTime;

namespace Ensemble.Consolidation;

/// <summary>
/// Two or more sources disagree on one fact of one household. It stays open until a person chooses a
/// source or a value (their choice holds until a source sends something new) or until the sources agree.
/// </summary>
public sealed class Discrepancy
{
    /// <summary>The resolution recorded when the sources came to agree by themselves.</summary>
    public const string SourcesAgree = "sources agree";

    private Discrepancy()
    {
        Fact = "";
        Values = [];
    }

    public long Id { get; private set; }

    public HouseholdId HouseholdId { get; private set; }

    /// <summary>The fact's catalog key, e.g. <c>income</c>.</summary>
    public string Fact { get; private set; }

    /// <summary>What each source says, by source key (as stored numbers; see <see cref="FactValueText"/>).</summary>
    public Dictionary<string, double> Values { get; private set; }

    public Instant DetectedAt { get; private set; }

    public Instant? ResolvedAt { get; private set; }

    /// <summary>Who resolved it: a staff handle, or "ensemble" when the sources came to agree.</summary>
    public string? ResolvedBy { get; private set; }

    /// <summary>How: "chose crm", "chose 250,000.00", or <see cref="SourcesAgree"/>.</summary>
    public string? Resolution { get; private set; }

    public string? ChosenSource { get; private set; }

    public double? ChosenValue { get; private set; }

    public bool IsOpen => ResolvedAt is null;

    /// <summary>A person takes one source's value as the consolidated one.</summary>
    public Result<Discrepancy> ChooseSource(string source, string by, Instant at)
    {
        if (!IsOpen)
        {
            return Error.Conflict($"This discrepancy was already resolved by {ResolvedBy} ({Resolution}).");
        }

        if (!Values.TryGetValue(source, out var value))
        {
            return Error.Invalid($"source: \"{source}\" sent no value for {Fact}; choose one of {string.Join(", ", Values.Keys.Order(StringComparer.Ordinal))}.");
        }

        Close(by, at, $"chose {source}");
        ChosenSource = source;
        ChosenValue = value;
        return this;
    }

    /// <summary>A person states the right value themselves (e.g. after asking the client).</summary>
    public Result<Discrepancy> ChooseValue(double value, string text, string by, Instant at)
    {
        if (!IsOpen)
        {
            return Error.Conflict($"This discrepancy was already resolved by {ResolvedBy} ({Resolution}).");
        }

        Close(by, at, $"chose {text}");
        ChosenValue = value;
        return this;
    }

    private void Close(string by, Instant at, string resolution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ResolvedAt = at;
        ResolvedBy = by;
        Resolution = resolution;
    }
}
