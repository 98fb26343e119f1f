using NodaTime;

namespace Ensemble.Communications.FormAdv;

/// <summary>
/// One fiscal year's annual Form ADV delivery: the firm must deliver its brochure (or the summary of material
/// changes with an offer of it) to each client within <see cref="DeliveryDays"/> days of its fiscal year end
/// (SEC Rule 204-3(b)). A fiscal year is named by the calendar year it ends in. A delivery counts for the year when it
/// went out after that year ended and before the next one did; one made after the deadline still counts, as late.
/// </summary>
public sealed record FormAdvYear(int FiscalYear, LocalDate FiscalYearEnd, LocalDate Deadline, LocalDate WindowStart, LocalDate WindowEnd)
{
    public const int DeliveryDays = 120;

    /// <summary>The outbox kind of a Form ADV delivery (the campaign kind of a Form ADV letter).</summary>
    public const string Kind = "form-adv";

    public static FormAdvYear Of(int fiscalYear, AnnualDate fiscalYearEnd)
    {
        var end = fiscalYearEnd.InYear(fiscalYear);
        return new FormAdvYear(fiscalYear, end, end.PlusDays(DeliveryDays), end.PlusDays(1), fiscalYearEnd.InYear(fiscalYear + 1));
    }

    /// <summary>The latest fiscal year that has ended on <paramref name="today"/>: the one whose delivery is due or was last due.</summary>
    public static int Latest(LocalDate today, AnnualDate fiscalYearEnd) =>
        today > fiscalYearEnd.InYear(today.Year) ? today.Year : today.Year - 1;

    /// <summary>Whether a message that went out on <paramref name="sentOn"/> (the firm's date) counts for this year.</summary>
    public bool Counts(LocalDate sentOn) => sentOn >= WindowStart && sentOn <= WindowEnd;

    /// <summary>The state of a household given the day its delivery went out (null when none did).</summary>
    public FormAdvState Judge(LocalDate? deliveredOn, LocalDate today) => deliveredOn switch
    {
        { } on when on <= Deadline => FormAdvState.Delivered,
        not null => FormAdvState.DeliveredLate,
        null when today > Deadline => FormAdvState.Overdue,
        _ => FormAdvState.Owed,
    };

    /// <summary>Days from <paramref name="today"/> to the deadline: negative once it has passed.</summary>
    public int DaysLeft(LocalDate today) => Period.Between(today, Deadline, PeriodUnits.Days).Days;
}
