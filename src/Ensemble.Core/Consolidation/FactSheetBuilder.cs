using NodaTime;

namespace Ensemble.Consolidation;

/// <summary>
/// Fills households' fact sheets as of one day: the consolidated values where they belong, then the
/// derived facts (age, members, investable assets, the last meeting, open discrepancies, stale facts,
/// tier and stage). One builder serves a whole rebuild, so the per-fact cut-offs are worked out once.
/// </summary>
public sealed class FactSheetBuilder
{
    private readonly long[] _staleBefore;
    private readonly int _clientBirthDate;
    private readonly int _age;
    private readonly int _dependants;
    private readonly int _members;
    private readonly int _investable;
    private readonly int _lastHeld;
    private readonly int _discrepancies;
    private readonly int _stale;
    private readonly int _tier;
    private readonly int _stage;

    public FactSheetBuilder(ConsolidationSettings settings, LocalDate today, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Catalog = settings.Catalog;
        Today = today;
        _staleBefore = Catalog.Facts
            .Select(f => f.Derived ? long.MinValue : Freshness.Cutoff(settings.RuleFor(f).MaxAgeMonths, today, zone)?.ToUnixTimeMilliseconds() ?? long.MinValue)
            .ToArray();
        _clientBirthDate = Catalog.Get("client.birth_date").Ordinal;
        _age = Catalog.Get("client.age").Ordinal;
        _dependants = Catalog.Get("dependants").Ordinal;
        _members = Catalog.Get("members").Ordinal;
        _investable = Catalog.Get("investable_assets").Ordinal;
        _lastHeld = Catalog.Get("touchpoint.last_held_on").Ordinal;
        _discrepancies = Catalog.Get("discrepancies").Ordinal;
        _stale = Catalog.Get("stale_facts").Ordinal;
        _tier = Catalog.Get("tier").Ordinal;
        _stage = Catalog.Get("stage").Ordinal;
    }

    public FactCatalog Catalog { get; }

    public LocalDate Today { get; }

    /// <summary>Fills <paramref name="sheet"/> (catalog length) and returns how many sourced facts are known and how many of them are stale.</summary>
    public (int Known, int Stale) Build(Span<double> sheet, ReadOnlySpan<SheetValue> values, in DerivedInputs derived)
    {
        sheet.Fill(double.NaN);
        int known = 0, stale = 0;
        foreach (var v in values)
        {
            sheet[v.Ordinal] = v.Value;
            known++;
            if (v.VerifiedAt < _staleBefore[v.Ordinal])
            {
                stale++;
            }
        }

        var birth = derived.PrimaryBirthDate ?? (double.IsNaN(sheet[_clientBirthDate]) ? null : FactSheet.ToDate(sheet[_clientBirthDate]));
        sheet[_age] = birth is { } b ? AgeOn(b, Today) : double.NaN;
        sheet[_dependants] = derived.Dependants;
        sheet[_members] = derived.Members;
        sheet[_investable] = derived.InvestableAssets ?? double.NaN;
        sheet[_lastHeld] = derived.LastMeetingHeldOn is { } held ? FactSheet.FromDate(held) : double.NaN;
        sheet[_discrepancies] = derived.OpenDiscrepancies;
        sheet[_stale] = stale;
        sheet[_tier] = derived.Tier ?? double.NaN;
        sheet[_stage] = derived.Stage;
        return (known, stale);
    }

    /// <summary>Whole years from a birth date; a 29 February birthday falls on 28 February in other years, as NodaTime's periods count it.</summary>
    public static int AgeOn(LocalDate birth, LocalDate today)
    {
        var years = today.Year - birth.Year;
        return birth.PlusYears(years) > today ? years - 1 : years;
    }
}
