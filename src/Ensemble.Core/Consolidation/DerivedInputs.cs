using NodaTime;

namespace Ensemble.Consolidation;

/// <summary>What Ensemble holds about a household, from which it derives the facts no source sends.</summary>
/// <param name="Stage">Lifecycle stage as its option index (prospect 0, client 1, former client 2).</param>
/// <param name="PrimaryBirthDate">The primary member's birth date, when known.</param>
/// <param name="Members">People in the household.</param>
/// <param name="Dependants">Children and other dependants among them.</param>
/// <param name="InvestableAssets">Investable account values summed, or the stated figure when no accounts are known.</param>
/// <param name="LastMeetingHeldOn">The day of the last meeting held.</param>
/// <param name="OpenDiscrepancies">Discrepancies between sources not yet resolved.</param>
/// <param name="Tier">The tier in force as its option index (A 0, B 1, C 2, unsegmented 3); null before the first decision.</param>
public readonly record struct DerivedInputs(
    int Stage,
    LocalDate? PrimaryBirthDate,
    int Members,
    int Dependants,
    double? InvestableAssets,
    LocalDate? LastMeetingHeldOn,
    int OpenDiscrepancies,
    int? Tier);

/// <summary>One consolidated value as the sheet needs it: where it goes, what it is, when it was last verified (Unix ms).</summary>
public readonly record struct SheetValue(int Ordinal, double Value, long VerifiedAt);
