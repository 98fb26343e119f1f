using System.Linq.Expressions;

namespace Ensemble.Advisory;

/// <summary>A checked expression: the code that computes it and its type (for a choice, the fact whose options it takes).</summary>
internal readonly record struct Typed(Expression Code, RuleType Type, bool BareNumber = false, Consolidation.FactDefinition? Choice = null)
{
    public static Typed Invalid { get; } = new(Expression.Constant(double.NaN), RuleType.Text);

    public bool IsInvalid => ReferenceEquals(Code, Invalid.Code);

    public bool IsAmount => Type is RuleType.Number or RuleType.Money or RuleType.Percent;
}
