using Ensemble.Practice;
using NodaTime;

namespace Ensemble.Tests.Practice;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar Us = BusinessCalendar.UsDefault;

    [Theory]
    [InlineData(2026, "2026-01-01 2026-01-19 2026-02-16 2026-04-03 2026-05-25 2026-06-19 2026-07-03 2026-09-07 2026-11-26 2026-12-25")]
    [InlineData(2027, "2027-01-01 2027-01-18 2027-02-15 2027-03-26 2027-05-31 2027-06-18 2027-07-05 2027-09-06 2027-11-25 2027-12-24")]
    [InlineData(2025, "2025-01-01 2025-01-20 2025-02-17 2025-04-18 2025-05-26 2025-06-19 2025-07-04 2025-09-01 2025-11-27 2025-12-25")]
    public void MarketHolidays_MatchTheExchangeSchedule(int year, string expected)
    {
        var dates = UsMarketHolidays.For(year).Select(h => h.Date.ToString("uuuu-MM-dd", null));
        Assert.Equal(expected.Split(' '), dates);
    }

    [Fact]
    public void NewYearsDayOnASaturday_IsNotObservedInTheOldYear()
    {
        Assert.True(Us.IsBusinessDay(new LocalDate(2021, 12, 31)));
        Assert.DoesNotContain(UsMarketHolidays.For(2022), h => h.Name == "New Year's Day");
    }

    [Fact]
    public void AddBusinessDays_SkipsWeekendsAndHolidays_BothWays()
    {
        // Tuesday before Thanksgiving 2026: Wed, (Thu holiday), Fri, (weekend), Mon.
        Assert.Equal(new LocalDate(2026, 11, 30), Us.AddBusinessDays(new LocalDate(2026, 11, 24), 3));
        Assert.Equal(new LocalDate(2026, 11, 24), Us.AddBusinessDays(new LocalDate(2026, 11, 30), -3));
        Assert.Equal(3, Us.BusinessDaysBetween(new LocalDate(2026, 11, 24), new LocalDate(2026, 11, 30)));
    }

    [Fact]
    public void ZeroDays_FromAClosedDay_RollsToTheNextBusinessDay()
    {
        Assert.Equal(new LocalDate(2026, 11, 27), Us.AddBusinessDays(new LocalDate(2026, 11, 26), 0));
    }

    [Fact]
    public void FirmClosuresAndOtherWeekends_AreRespected()
    {
        var calendar = new BusinessCalendar([IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday], false, [new LocalDate(2026, 12, 1)]);

        Assert.False(calendar.IsBusinessDay(new LocalDate(2026, 11, 27)));
        Assert.True(calendar.IsBusinessDay(new LocalDate(2026, 11, 26)));
        Assert.Equal(new LocalDate(2026, 12, 2), calendar.AddBusinessDays(new LocalDate(2026, 11, 30), 1));
    }

    [Fact]
    public void ACalendarWithNoWorkingDay_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None), false, []));
    }
}
