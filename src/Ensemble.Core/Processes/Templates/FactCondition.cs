using Ensemble.Households;

namespace Ensemble.Processes.Templates;

/// <summary>A syntax or type error in a condition, at a 0-based offset in its text.</summary>
public sealed record ConditionError(int Offset, string Message);

/// <summary>
/// A condition on household facts deciding whether a step applies, e.g.
/// <c>investable_assets >= 1000000 and has_account('ira')</c>. Parsed and checked when the template loads.
/// </summary>
public sealed class FactCondition
{
    private readonly Func<HouseholdFacts, bool> _predicate;

    internal FactCondition(string text, Func<HouseholdFacts, bool> predicate)
    {
        Text = text;
        _predicate = predicate;
    }

    public string Text { get; }

    public bool IsMetBy(HouseholdFacts facts) => _predicate(facts);

    public override string ToString() => Text;
}
