using Ensemble.Practice;
using Ensemble.Processes.Scheduling;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.Tests.Processes.Scheduling;

public sealed class PeriodicScheduleTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static PeriodicTrigger Quarterly(MissedRunPolicy missed = MissedRunPolicy.CatchUp, int window = 10, int day = 1, int startMonth = 1) =>
        new(Cadence.Quarterly, null, day, startMonth, missed, window, OverlapPolicy.SkipWhileOpen, PeriodicAudience.Firm);

    private static Instant At(int y, int m, int d, int h = 12) => new LocalDateTime(y, m, d, h, 0).InZoneLeniently(NewYork).ToInstant();

    [Fact]
    public void Quarterly_WhenTheFirstDayIsAHoliday_FallsOnTheNextBusinessDay()
    {
        var due = PeriodicSchedule.Due(Quarterly(), BusinessCalendar.UsDefault, NewYork, At(2026, 12, 31), At(2027, 1, 4));

        var occurrence = Assert.Single(due);
        Assert.Equal("2027-Q1", occurrence.Key);
        Assert.Equal(new LocalDate(2027, 1, 4), occurrence.Date);
    }

    [Fact]
    public void DayOfPeriod_CountsBusinessDays_AndStartMonthShiftsTheCycle()
    {
        var due = PeriodicSchedule.Due(Quarterly(window: 30, day: 5, startMonth: 2), BusinessCalendar.UsDefault, NewYork, At(2026, 10, 31), At(2026, 11, 30));

        var occurrence = Assert.Single(due);
        Assert.Equal(new LocalDate(2026, 11, 6), occurrence.Date);
        Assert.Equal("2026-Q4", occurrence.Key);
    }

    [Fact]
    public void MissedRuns_AreCaughtUpWithinTheWindow_AndDroppedBeyondIt()
    {
        var monthly = new PeriodicTrigger(Cadence.Monthly, null, 1, 1, MissedRunPolicy.CatchUp, 60, OverlapPolicy.Allow, PeriodicAudience.Firm);

        var due = PeriodicSchedule.Due(monthly, BusinessCalendar.UsDefault, NewYork, At(2026, 6, 1), At(2026, 11, 24));

        Assert.Equal(["2026-10", "2026-11"], due.Select(o => o.Key));
    }

    [Fact]
    public void SkipPolicy_KeepsOnlyAnOccurrenceDueToday()
    {
        var monthly = new PeriodicTrigger(Cadence.Monthly, null, 1, 1, MissedRunPolicy.Skip, 0, OverlapPolicy.Allow, PeriodicAudience.Firm);

        Assert.Empty(PeriodicSchedule.Due(monthly, BusinessCalendar.UsDefault, NewYork, At(2026, 6, 1), At(2026, 11, 24)));
        Assert.Equal(["2026-12"], PeriodicSchedule.Due(monthly, BusinessCalendar.UsDefault, NewYork, At(2026, 6, 1), At(2026, 12, 1)).Select(o => o.Key));
    }

    [Fact]
    public void SweepingTheSameWindowTwice_GivesTheSameKeys()
    {
        var first = PeriodicSchedule.Due(Quarterly(), BusinessCalendar.UsDefault, NewYork, At(2026, 12, 20), At(2027, 1, 8));
        var second = PeriodicSchedule.Due(Quarterly(), BusinessCalendar.UsDefault, NewYork, At(2026, 12, 20), At(2027, 1, 8));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Cron_UsesTheFirmsTimeZone_AcrossADaylightSavingChange()
    {
        var weekly = new PeriodicTrigger(Cadence.Cron, "0 9 * * 1", 1, 1, MissedRunPolicy.CatchUp, 30, OverlapPolicy.Allow, PeriodicAudience.Firm);

        var due = PeriodicSchedule.Due(weekly, BusinessCalendar.UsDefault, NewYork, At(2026, 10, 25), At(2026, 11, 10));

        Assert.Equal(["2026-10-26T09:00", "2026-11-02T09:00", "2026-11-09T09:00"], due.Select(o => o.Key));
    }

    [Fact]
    public void AVeryOldLastSweep_IsBoundedByThePolicyWindow()
    {
        var daily = new PeriodicTrigger(Cadence.Cron, "0 8 * * *", 1, 1, MissedRunPolicy.CatchUp, 3, OverlapPolicy.Allow, PeriodicAudience.Firm);

        var due = PeriodicSchedule.Due(daily, BusinessCalendar.UsDefault, NewYork, Instant.FromUtc(1990, 1, 1, 0, 0), At(2026, 11, 24));

        Assert.Equal(4, due.Count);
    }

    [Fact]
    public void Next_ShowsTheComingOccurrence()
    {
        var next = PeriodicSchedule.Next(Quarterly(), BusinessCalendar.UsDefault, NewYork, At(2026, 11, 24));

        Assert.Equal(new Occurrence("2027-Q1", new LocalDate(2027, 1, 4)), next);
    }
}
