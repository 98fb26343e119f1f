using Ensemble.Communications.Archive;
using NodaTime;

namespace Ensemble.Core.Tests.Communications.Archive;

public sealed class CommunicationSettingsTests
{
    [Fact]
    public void Defaults_KeepSixYears_AndEndTheFiscalYearOnDecember31()
    {
        var settings = CommunicationSettings.Default;

        Assert.Equal(6, settings.RetentionYears);
        Assert.Equal(new AnnualDate(12, 31), settings.FiscalYearEnd);
        Assert.Empty(settings.Problems());
    }

    [Fact]
    public void Retention_NeverEndsBeforeTheYearsAreUp_WhateverLeapDaysFallInBetween()
    {
        var sent = Instant.FromUtc(2027, 3, 1, 12, 0);

        // Six calendar years from a day just before two leap days (2028, 2032) is 2,192 days.
        var kept = sent + RetentionPeriod.OfYears(6);

        Assert.True(kept.InUtc().Date >= new LocalDate(2033, 3, 1));
        Assert.Equal(Duration.FromDays((6 * 365) + 2), RetentionPeriod.OfYears(6));
    }

    [Fact]
    public void Problems_NameTheField_ForRetentionOutOfRangeAndAnAddressThatIsNotAWebAddress()
    {
        var problems = new CommunicationSettings(2, new AnnualDate(12, 31), "ftp://ensemble").Problems();

        Assert.Contains(problems, p => p.Field == "retentionYears" && p.Message.Contains("204-2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "appAddress");
    }

    [Theory]
    [InlineData("12-31", 12, 31)]
    [InlineData("03-31", 3, 31)]
    [InlineData("02-29", 2, 29)]
    public void ParseFiscalYearEnd_ReadsMonthAndDay(string text, int month, int day) =>
        Assert.Equal(new AnnualDate(month, day), CommunicationSettings.ParseFiscalYearEnd(text));

    [Theory]
    [InlineData("13-01")]
    [InlineData("04-31")]
    [InlineData("December 31")]
    [InlineData("")]
    public void ParseFiscalYearEnd_RefusesWhatIsNotADayOfTheYear(string text) =>
        Assert.Null(CommunicationSettings.ParseFiscalYearEnd(text));
}
