namespace Ensemble.Consolidation;

/// <summary>
/// One fact Ensemble consolidates or derives for every household: its key as rules and imports name it
/// (<c>mortgage.fixed_rate_ends</c>), what it holds, a label people read, how long a value stays fresh,
/// and which sources it trusts first.
/// </summary>
/// <param name="Key">Lower-case dotted name, unique in the catalog.</param>
/// <param name="Ordinal">Position in a household's fact sheet.</param>
/// <param name="Kind">What the value holds, which decides how rules may use it.</param>
/// <param name="Label">The fact as people read it.</param>
/// <param name="MaxAgeMonths">Months a value stays fresh after it was last verified; null when it never ages (a birth date).</param>
/// <param name="Precedence">Sources in the order they win; empty means the most recently verified value wins.</param>
/// <param name="Derived">True for facts Ensemble works out itself (ages, counts, the last meeting); no source may send them.</param>
/// <param name="Options">For a <see cref="FactKind.Choice"/>: the allowed values, stored as their index.</param>
public sealed record FactDefinition(
    string Key,
    int Ordinal,
    FactKind Kind,
    string Label,
    int? MaxAgeMonths,
    IReadOnlyList<string> Precedence,
    bool Derived = false,
    IReadOnlyList<string>? Options = null);
