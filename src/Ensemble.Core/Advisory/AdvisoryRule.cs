namespace Ensemble.Advisory;

/// <summary>
/// A granulated form of a rule with its default place on the canvas (urgency and advice sensitivity,
/// 0–100). The firm may move it; the default is where the framework file puts it.
/// </summary>
public sealed record RuleVariant(string Key, string Label, double Urgency, double Sensitivity);

/// <summary>A rule of the advisory framework as loaded: what it is about, its variants, and what it reads.</summary>
public sealed record AdvisoryRule(
    string Key,
    string Title,
    string Category,
    string? Advice,
    IReadOnlyList<RuleVariant> Variants,
    IReadOnlyList<string> FactsRead,
    IReadOnlyList<string> NamedValues,
    int Line)
{
    /// <summary>The alert type's key for a variant: <c>rule/variant</c>, or the rule's key when it has only one.</summary>
    public string TypeKey(int variant) => Variants.Count == 1 ? Key : $"{Key}/{Variants[variant].Key}";
}

/// <summary>One value behind an alert: a fact or a named value, as the advisor reads it.</summary>
public sealed record ExplainedValue(string Name, string Label, string Value, bool Known);

/// <summary>Why a rule came out as it did for one household.</summary>
public sealed record RuleExplanation(string Rule, int Outcome, string? Variant, IReadOnlyList<ExplainedValue> Values, string? CouldNotEvaluate);

/// <summary>A framework that loaded, or every problem that stopped it.</summary>
public sealed record FrameworkLoadResult(AdvisoryFramework? Framework, IReadOnlyList<RuleDiagnostic> Diagnostics)
{
    public bool Succeeded => Framework is not null && Diagnostics.Count == 0;
}
