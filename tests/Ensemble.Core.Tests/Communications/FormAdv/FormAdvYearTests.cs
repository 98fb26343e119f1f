using Ensemble.Communications.FormAdv;
using NodaTime;

namespace Ensemble.Core.Tests.Communications.FormAdv;

public sealed class FormAdvYearTests
{
    private static readonly AnnualDate December31 = new(12, 31);

    [Fact]
    public void Deadline_IsOneHundredTwentyDaysAfterTheFiscalYearEnd()
    {
        var year = FormAdvYear.Of(2025, December31);

        Assert.Equal(new LocalDate(2025, 12, 31), year.FiscalYearEnd);
        Assert.Equal(new LocalDate(2026, 4, 30), year.Deadline);
        Assert.Equal(new LocalDate(2026, 1, 1), year.WindowStart);
        Assert.Equal(new LocalDate(2026, 12, 31), year.WindowEnd);
    }

    [Fact]
    public void Deadline_ForAMarchYearEnd_FallsAtTheEndOfJuly()
    {
        var year = FormAdvYear.Of(2026, new AnnualDate(3, 31));

        Assert.Equal(new LocalDate(2026, 7, 29), year.Deadline);
    }

    [Fact]
    public void FiscalYearEndingFebruary29_EndsOnThe28thInOtherYears()
    {
        Assert.Equal(new LocalDate(2027, 2, 28), FormAdvYear.Of(2027, new AnnualDate(2, 29)).FiscalYearEnd);
        Assert.Equal(new LocalDate(2028, 2, 29), FormAdvYear.Of(2028, new AnnualDate(2, 29)).FiscalYearEnd);
    }

    [Theory]
    [InlineData("2026-11-30", 2025)]
    [InlineData("2026-12-31", 2025)]
    [InlineData("2027-01-01", 2026)]
    public void Latest_IsTheLastFiscalYearThatHasEnded(string today, int expected) =>
        Assert.Equal(expected, FormAdvYear.Latest(NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value, December31));

    [Fact]
    public void Judge_SaysDeliveredOnTimeLateOwedOrOverdue()
    {
        var year = FormAdvYear.Of(2025, December31);

        Assert.Equal(FormAdvState.Delivered, year.Judge(new LocalDate(2026, 4, 30), new LocalDate(2026, 11, 1)));
        Assert.Equal(FormAdvState.DeliveredLate, year.Judge(new LocalDate(2026, 5, 1), new LocalDate(2026, 11, 1)));
        Assert.Equal(FormAdvState.Owed, year.Judge(null, new LocalDate(2026, 4, 30)));
        Assert.Equal(FormAdvState.Overdue, year.Judge(null, new LocalDate(2026, 5, 1)));
    }

    [Fact]
    public void Counts_OnlyDeliveriesAfterTheYearEndedAndBeforeTheNextEnded()
    {
        var year = FormAdvYear.Of(2025, December31);

        Assert.False(year.Counts(new LocalDate(2025, 12, 31)));
        Assert.True(year.Counts(new LocalDate(2026, 1, 1)));
        Assert.True(year.Counts(new LocalDate(2026, 12, 31)));
        Assert.False(year.Counts(new LocalDate(2027, 1, 1)));
    }

    [Fact]
    public void DaysLeft_GoesNegativeOnceTheDeadlineHasPassed()
    {
        var year = FormAdvYear.Of(2025, December31);

        Assert.Equal(1, year.DaysLeft(new LocalDate(2026, 4, 29)));
        Assert.Equal(-2, year.DaysLeft(new LocalDate(2026, 5, 2)));
    }
}
