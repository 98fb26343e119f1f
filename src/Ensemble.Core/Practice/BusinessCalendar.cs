using NodaTime;

namespace Ensemble.Practice;

/// <summary>
/// Which days the firm works: not on weekend days, market holidays (when used) or its own closures.
/// Counting business days is a loop over dates, bounded by the offset, so it never recurses.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly HashSet<IsoDayOfWeek> _weekend;
    private readonly HashSet<LocalDate> _extra;
    private readonly bool _usMarket;
    private readonly Dictionary<int, IReadOnlySet<LocalDate>> _marketByYear = [];

    public BusinessCalendar(IEnumerable<IsoDayOfWeek> weekend, bool usMarketHolidays, IEnumerable<LocalDate> extraHolidays)
    {
        _weekend = weekend.ToHashSet();
        _usMarket = usMarketHolidays;
        _extra = extraHolidays.ToHashSet();
        if (_weekend.Count >= 7)
        {
            throw new ArgumentException("A calendar needs at least one working day of the week.", nameof(weekend));
        }
    }

    /// <summary>True when this calendar has exactly these weekend days, market holidays setting and closures.</summary>
    public bool IsBuiltFrom(IEnumerable<IsoDayOfWeek> weekend, bool usMarketHolidays, IEnumerable<LocalDate> extraHolidays) =>
        _usMarket == usMarketHolidays && _weekend.SetEquals(weekend) && _extra.SetEquals(extraHolidays);

    /// <summary>Saturday and Sunday off, US market holidays observed.</summary>
    public static BusinessCalendar UsDefault { get; } = new([IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], true, []);

    public bool IsHoliday(LocalDate date) => _extra.Contains(date) || (_usMarket && MarketHolidays(date.Year).Contains(date));

    public bool IsBusinessDay(LocalDate date) => !_weekend.Contains(date.DayOfWeek) && !IsHoliday(date);

    /// <summary>Moves <paramref name="days"/> business days from <paramref name="date"/>; negative counts backwards. Zero rolls forward to a business day.</summary>
    public LocalDate AddBusinessDays(LocalDate date, int days)
    {
        if (days == 0)
        {
            return OnOrAfter(date);
        }

        var step = days > 0 ? 1 : -1;
        var remaining = Math.Abs(days);
        var current = date;
        while (remaining > 0)
        {
            current = current.PlusDays(step);
            if (IsBusinessDay(current))
            {
                remaining--;
            }
        }

        return current;
    }

    public LocalDate OnOrAfter(LocalDate date)
    {
        var current = date;
        while (!IsBusinessDay(current))
        {
            current = current.PlusDays(1);
        }

        return current;
    }

    public LocalDate OnOrBefore(LocalDate date)
    {
        var current = date;
        while (!IsBusinessDay(current))
        {
            current = current.PlusDays(-1);
        }

        return current;
    }

    /// <summary>Business days from <paramref name="from"/> (exclusive) to <paramref name="to"/> (inclusive); negative when to is earlier.</summary>
    public int BusinessDaysBetween(LocalDate from, LocalDate to)
    {
        if (to == from)
        {
            return 0;
        }

        var sign = to > from ? 1 : -1;
        var count = 0;
        for (var d = from; d != to;)
        {
            d = d.PlusDays(sign);
            if (IsBusinessDay(d))
            {
                count++;
            }
        }

        return sign * count;
    }

    /// <summary>The market holidays of one year, cached because due-date loops ask about the same year repeatedly.</summary>
    public IReadOnlySet<LocalDate> MarketHolidays(int year)
    {
        lock (_marketByYear)
        {
            if (!_marketByYear.TryGetValue(year, out var set))
            {
                set = UsMarketHolidays.For(year).Select(h => h.Date).ToHashSet();
                _marketByYear[year] = set;
            }

            return set;
        }
    }
}
