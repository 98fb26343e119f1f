namespace Ensemble.Consolidation;

/// <summary>
/// The firm's consolidation rules: for each sourced fact the catalog's default (<see cref="FactDefinition.Precedence"/>,
/// <see cref="FactDefinition.MaxAgeMonths"/>) unless the firm set its own.
/// </summary>
public sealed class ConsolidationSettings
{
    private readonly FactRule[] _byOrdinal;

    public ConsolidationSettings(FactCatalog catalog, IEnumerable<FactRule> firmRules)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        FirmRules = firmRules.ToDictionary(r => r.Fact, StringComparer.Ordinal);
        _byOrdinal = catalog.Facts.Select(f => FirmRules.TryGetValue(f.Key, out var r) ? r : FactRule.Default(f)).ToArray();
    }

    public static ConsolidationSettings Default { get; } = new(FactCatalog.Default, []);

    public FactCatalog Catalog { get; }

    /// <summary>The rules the firm set itself, by fact key; every other fact follows the catalog.</summary>
    public IReadOnlyDictionary<string, FactRule> FirmRules { get; }

    public FactRule RuleFor(FactDefinition fact) => _byOrdinal[fact.Ordinal];

    /// <summary>The rule in force for every sourced fact, in catalog order.</summary>
    public IEnumerable<FactRule> Rules => Catalog.Sourced.Select(RuleFor);

    /// <summary>The sources the catalog's defaults name: a firm may refer to them before registering them.</summary>
    public static IReadOnlySet<string> CatalogSources(FactCatalog catalog) =>
        catalog.Sourced.SelectMany(f => f.Precedence).ToHashSet(StringComparer.Ordinal);
}
