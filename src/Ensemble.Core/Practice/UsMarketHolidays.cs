using NodaTime;

namespace Ensemble.Practice;

/// <summary>A named day the US stock markets close.</summary>
public sealed record MarketHoliday(LocalDate Date, string Name);

/// <summary>
/// The NYSE holiday schedule computed from its rules, so the default calendar works for any year.
/// A holiday on Sunday is observed on Monday and one on Saturday on the Friday before, except New
/// Year's Day, which the exchange does not move back into the old year.
/// </summary>
public static class UsMarketHolidays
{
    public static IReadOnlyList<MarketHoliday> For(int year)
    {
        var list = new List<MarketHoliday>();
        var newYear = new LocalDate(year, 1, 1);
        if (newYear.DayOfWeek != IsoDayOfWeek.Saturday)
        {
            list.Add(new(Observed(newYear), "New Year's Day"));
        }

        list.Add(new(Nth(year, 1, IsoDayOfWeek.Monday, 3), "Martin Luther King Jr. Day"));
        list.Add(new(Nth(year, 2, IsoDayOfWeek.Monday, 3), "Washington's Birthday"));
        list.Add(new(EasterSunday(year).PlusDays(-2), "Good Friday"));
        list.Add(new(Last(year, 5, IsoDayOfWeek.Monday), "Memorial Day"));
        if (year >= 2022)
        {
            list.Add(new(Observed(new LocalDate(year, 6, 19)), "Juneteenth"));
        }

        list.Add(new(Observed(new LocalDate(year, 7, 4)), "Independence Day"));
        list.Add(new(Nth(year, 9, IsoDayOfWeek.Monday, 1), "Labor Day"));
        list.Add(new(Nth(year, 11, IsoDayOfWeek.Thursday, 4), "Thanksgiving Day"));
        list.Add(new(Observed(new LocalDate(year, 12, 25)), "Christmas Day"));
        return list;
    }

    private static LocalDate Observed(LocalDate date) => date.DayOfWeek switch
    {
        IsoDayOfWeek.Saturday => date.PlusDays(-1),
        IsoDayOfWeek.Sunday => date.PlusDays(1),
        _ => date,
    };

    private static LocalDate Nth(int year, int month, IsoDayOfWeek day, int n)
    {
        var first = new LocalDate(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.PlusDays(offset + ((n - 1) * 7));
    }

    private static LocalDate Last(int year, int month, IsoDayOfWeek day)
    {
        var last = new LocalDate(year, month, 1).PlusMonths(1).PlusDays(-1);
        var back = ((int)last.DayOfWeek - (int)day + 7) % 7;
        return last.PlusDays(-back);
    }

    // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    private static LocalDate EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }
}
