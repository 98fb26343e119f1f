using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>What one source holds for a fact, with its lineage.</summary>
/// <param name="File">The file (or "api") that last sent or re-verified it.</param>
public sealed record SourceValueLine(string Source, string Value, Instant ArrivedAt, Instant VerifiedAt, bool Stale, bool Winner, string? File);

/// <summary>A sourced fact of a household: the consolidated value with the lineage of the winner, and every source's value.</summary>
/// <param name="ChosenBy">Set when a person chose the value or source while resolving a discrepancy.</param>
/// <param name="FreshUntil">The last day the value counts as fresh; null when the fact never ages or is not known.</param>
public sealed record FactLine(
    string Fact, string Label, FactKind Kind, string? Value, double? Number, string? Source, Instant? ArrivedAt, Instant? VerifiedAt,
    int? MaxAgeMonths, LocalDate? FreshUntil, bool Stale, string? ChosenBy, long? OpenDiscrepancy, IReadOnlyList<SourceValueLine> Sources);

/// <summary>A fact Ensemble works out itself, as the household's fact sheet holds it.</summary>
public sealed record DerivedLine(string Fact, string Label, FactKind Kind, string Value, double? Number);

/// <summary>A household's consolidated facts with lineage, its derived facts, open discrepancies and freshness.</summary>
/// <param name="Freshness">Share of known sourced facts still fresh (0 to 1); null when none is known.</param>
public sealed record HouseholdFactsView(
    string Household, string Name, LocalDate Today, double? Freshness, int Known, int Stale, IReadOnlyList<FactLine> Facts,
    IReadOnlyList<DerivedLine> Derived, IReadOnlyList<DiscrepancyView> Discrepancies, Instant? SheetComputedAt);
