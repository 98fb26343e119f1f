using NodaTime;

namespace Ensemble.Practice;

/// <summary>The advisory firm: its name, where it keeps time, and which days it works.</summary>
public sealed class Firm
{
    private BusinessCalendar? _calendar;

    private Firm()
    {
        Name = "";
        TimeZoneId = "";
    }

    public Firm(string name, DateTimeZone zone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
        TimeZoneId = zone.Id;
        UsesUsMarketHolidays = true;
        WeekendDays = [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>IANA id, e.g. America/New_York. Due dates are local dates in this zone.</summary>
    public string TimeZoneId { get; private set; }

    public bool UsesUsMarketHolidays { get; private set; }

    public List<IsoDayOfWeek> WeekendDays { get; private set; } = [];

    /// <summary>Firm-specific closures on top of (or instead of) the market holidays.</summary>
    public List<LocalDate> ExtraHolidays { get; private set; } = [];

    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZoneId];

    /// <summary>The firm's working days. Every due date asks for it, so it is kept while the days it was built from stay the same.</summary>
    public BusinessCalendar Calendar
    {
        get
        {
            var calendar = _calendar;
            if (calendar is null || !calendar.IsBuiltFrom(WeekendDays, UsesUsMarketHolidays, ExtraHolidays))
            {
                calendar = new BusinessCalendar(WeekendDays, UsesUsMarketHolidays, ExtraHolidays);
                _calendar = calendar;
            }

            return calendar;
        }
    }

    public LocalDate Today(IClock clock) => clock.GetCurrentInstant().InZone(Zone).Date;

    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
    }

    public void SetHolidays(bool usMarketHolidays, IEnumerable<LocalDate> extra)
    {
        UsesUsMarketHolidays = usMarketHolidays;
        ExtraHolidays = extra.Distinct().Order().ToList();
    }

    public void AddHoliday(LocalDate date)
    {
        if (!ExtraHolidays.Contains(date))
        {
            ExtraHolidays = [.. ExtraHolidays.Append(date).Order()];
        }
    }
}
