namespace Ensemble.Consolidation;

/// <summary>
/// How the firm consolidates one sourced fact: which source wins, and how long a value stays fresh.
/// </summary>
/// <param name="Fact">The fact's catalog key.</param>
/// <param name="Precedence">Sources in the order they win; sources not listed rank after them, most recently verified first. Empty: the most recently verified value wins.</param>
/// <param name="MaxAgeMonths">Months a value stays fresh after it was last verified; null when it never ages.</param>
public sealed record FactRule(string Fact, IReadOnlyList<string> Precedence, int? MaxAgeMonths)
{
    /// <summary>The longest maximum age the firm may set: a hundred years is "never" in all but name.</summary>
    public const int LongestMaxAge = 1200;

    public bool MostRecentlyVerifiedWins => Precedence.Count == 0;

    /// <summary>The catalog's default rule for a fact.</summary>
    public static FactRule Default(FactDefinition fact) => new(fact.Key, fact.Precedence, fact.MaxAgeMonths);
}
