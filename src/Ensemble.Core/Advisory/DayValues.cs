using NodaTime;

namespace Ensemble.Advisory;

/// <summary>
/// The dates a framework's rules name relative to today (<c>years_ago(3)</c>, <c>in_days(14)</c>…), worked out
/// once per run with the calendar's real month and year lengths, so evaluating a household only reads numbers.
/// </summary>
public sealed class DayValues
{
    internal const int TodaySlot = 0;
    internal const int MonthSlot = 1;
    internal const int FirstPoint = 2;

    internal DayValues(LocalDate today, double[] values)
    {
        Today = today;
        Values = values;
    }

    public LocalDate Today { get; }

    internal double[] Values { get; }

    internal static DayValues For(LocalDate today, IReadOnlyList<DatePoint> points)
    {
        var values = new double[FirstPoint + points.Count];
        values[TodaySlot] = Consolidation.FactSheet.FromDate(today);
        values[MonthSlot] = today.Month;
        for (var i = 0; i < points.Count; i++)
        {
            values[FirstPoint + i] = Consolidation.FactSheet.FromDate(points[i].On(today));
        }

        return new DayValues(today, values);
    }
}

/// <summary>A date relative to the run's day, e.g. three years ago or the last day of this year.</summary>
internal sealed record DatePoint(string Function, int Amount)
{
    public LocalDate On(LocalDate today) => Function switch
    {
        "days_ago" => today.PlusDays(-Amount),
        "months_ago" => today.PlusMonths(-Amount),
        "years_ago" => today.PlusYears(-Amount),
        "in_days" => today.PlusDays(Amount),
        "in_months" => today.PlusMonths(Amount),
        "in_years" => today.PlusYears(Amount),
        "year_end" => new LocalDate(today.Year, 12, 31),
        _ => throw new InvalidOperationException($"'{Function}' is not a date function."),
    };

    public static bool IsDateFunction(string name) =>
        name is "days_ago" or "months_ago" or "years_ago" or "in_days" or "in_months" or "in_years" or "year_end";
}
