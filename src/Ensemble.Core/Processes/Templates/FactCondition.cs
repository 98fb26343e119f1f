using System.Diagnostics.CodeAnalysis;
using Ensemble.Households;

namespace Ensemble.Processes.Templates;

/// <summary>A syntax or type error in a condition, at a 0-based offset in its text.</summary>
public sealed record ConditionError(int Offset, string Message);

/// <summary>
/// A condition on household facts deciding whether a step applies, e.g.
/// <c>investable_assets >= 1000000 and has_account('ira')</c>. Parsed and checked when the template loads.
/// </summary>
/// <remarks>
/// A comparison with a fact the household does not know (null) is false, so <c>not</c> of it is true:
/// <c>not (net_worth >= 2m)</c> holds for a household whose net worth is unknown.
/// </remarks>
public sealed class FactCondition
{
    private readonly Func<HouseholdFacts, bool> _predicate;

    internal FactCondition(string text, Func<HouseholdFacts, bool> predicate, IReadOnlySet<string>? reads = null)
    {
        Text = text;
        _predicate = predicate;
        Reads = reads ?? new HashSet<string>();
    }

    public string Text { get; }

    /// <summary>The facts and functions the condition uses (<c>tier</c>, <c>has_account</c>…), so a loader can skip facts nobody reads.</summary>
    public IReadOnlySet<string> Reads { get; }

    /// <summary>
    /// Parses and type-checks <paramref name="text"/>. On failure <paramref name="errors"/> holds every
    /// type error found and at most one syntax error (parsing stops at the first).
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out FactCondition? condition, out IReadOnlyList<ConditionError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<ConditionError>();
        var reads = new HashSet<string>(StringComparer.Ordinal);
        var predicate = ConditionParser.Parse(text, found, reads);
        errors = found;
        condition = predicate is null ? null : new FactCondition(text, predicate, reads);
        return condition is not null;
    }

    public bool IsMetBy(HouseholdFacts facts) => _predicate(facts);

    public override string ToString() => Text;
}
