using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Core.Tests.Consolidation;

public sealed class ConsolidatorTests
{
    private static readonly FactRule CustodianFirst = new("cash", ["custodian", "planning"], 3);

    [Fact]
    public void Precedence_TakesTheFirstListedSourceThatHasAValue_AndUnlistedSourcesComeAfterByRecency()
    {
        SourceReading[] readings = [new("crm", 10, 1, 900), new("planning", 20, 1, 100), new("erp", 30, 1, 950)];

        var decided = Consolidator.Decide(FactKind.Money, CustodianFirst, readings, null);
        var withoutListed = Consolidator.Decide(FactKind.Money, CustodianFirst, readings.Where(r => r.Source != "planning").ToArray(), null);

        Assert.Equal(("planning", 20d, true), (decided.Source, decided.Value, decided.Disagree));
        Assert.Equal("erp", withoutListed.Source);
    }

    [Fact]
    public void MostRecentlyVerifiedWins_WhenThePrecedenceIsEmpty()
    {
        var rule = new FactRule("cash", [], 3);
        SourceReading[] readings = [new("custodian", 10, 1, 100), new("crm", 12, 1, 200)];

        Assert.Equal("crm", Consolidator.Decide(FactKind.Money, rule, readings, null).Source);
    }

    [Fact]
    public void APersonsChoice_OfASourceOrAValue_Wins()
    {
        SourceReading[] readings = [new("custodian", 10, 1, 100), new("planning", 12, 1, 200)];

        var bySource = Consolidator.Decide(FactKind.Money, CustodianFirst, readings, new PersonChoice("planning", 12, 500, "tom"));
        var byValue = Consolidator.Decide(FactKind.Money, CustodianFirst, readings, new PersonChoice(null, 11, 500, "tom"));

        Assert.Equal(("planning", 12d, "tom"), (bySource.Source, bySource.Value, bySource.ChosenBy));
        Assert.Equal(((string?)null, 11d, 500L), (byValue.Source, byValue.Value, byValue.VerifiedAt));
    }

    [Theory]
    [InlineData(FactKind.Money, 250_000.00, 250_000.009, true)]
    [InlineData(FactKind.Money, 250_000.00, 250_000.02, false)]
    [InlineData(FactKind.Percent, 35, 35.001, true)]
    [InlineData(FactKind.Flag, 1, 0, false)]
    public void Agreement_AllowsACentOnMoney(FactKind kind, double a, double b, bool agree) =>
        Assert.Equal(agree, FactValueText.Agree(kind, a, b));

    [Theory]
    [InlineData(FactKind.Money, "250,000.50", 250_000.50)]
    [InlineData(FactKind.Money, "$1,250,000", 1_250_000)]
    [InlineData(FactKind.Percent, "35%", 35)]
    [InlineData(FactKind.Percent, "12.5", 12.5)]
    [InlineData(FactKind.Flag, "Yes", 1)]
    [InlineData(FactKind.Flag, "false", 0)]
    public void Values_AreReadAsSourcesWriteThem(FactKind kind, string text, double expected)
    {
        Assert.True(FactValueText.TryParse(kind, text, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(FactKind.Money, "1,2,3")]
    [InlineData(FactKind.Money, "lots")]
    [InlineData(FactKind.Date, "2027-02-30")]
    [InlineData(FactKind.Flag, "maybe")]
    public void MalformedValues_AreRefusedWithWhatWasExpected(FactKind kind, string text)
    {
        Assert.False(FactValueText.TryParse(kind, text, out _, out var error));
        Assert.StartsWith($"\"{text}\" is not", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_RoundTripThroughTheirDayNumber()
    {
        Assert.True(FactValueText.TryParse(FactKind.Date, "2027-03-31", out var value, out _));
        Assert.Equal(new LocalDate(2027, 3, 31), FactSheet.ToDate(value));
        Assert.Equal("2027-03-31", FactValueText.Format(FactKind.Date, value));
    }

    [Fact]
    public void AValue_IsStaleOnceOlderThanItsMaximumAge_InTheFirmsZone()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var today = new LocalDate(2026, 11, 24);

        Assert.False(Freshness.IsStale(12, Instant.FromUtc(2025, 11, 24, 5, 0), today, zone));
        Assert.True(Freshness.IsStale(12, Instant.FromUtc(2025, 11, 24, 4, 59), today, zone));
        Assert.False(Freshness.IsStale(null, Instant.FromUtc(1990, 1, 1, 0, 0), today, zone));
        Assert.Equal(64, FactSheetBuilder.AgeOn(new LocalDate(1962, 2, 28), today));
    }
}
