using Ensemble.Advisory;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Core.Tests.Advisory;

public sealed class RuleLanguageTests
{
    private static readonly LocalDate Today = new(2026, 11, 24);

    [Fact]
    public void AFixedRateEndingIn10Days_RaisesTheWithin14DaysVariant_AndExplainsTheDaysLeft()
    {
        var framework = BuiltInFramework.Framework;
        var sheet = Sheet(("mortgage.fixed_rate_ends", FactSheet.FromDate(Today.PlusDays(10))));

        var explanation = Explain(framework, "mortgage.rate-ending", sheet);

        Assert.Equal("within-14-days", explanation.Variant);
        Assert.Contains(explanation.Values, v => v.Name == "days_left" && v.Value == "10");
        Assert.Contains(explanation.Values, v => v.Name == "mortgage.fixed_rate_ends" && v.Value == "2026-12-04");
    }

    [Fact]
    public void AFixedRateEndingIn100Days_RaisesTheSixMonthVariant_AndOneEndingNextYearRaisesNothing()
    {
        var framework = BuiltInFramework.Framework;

        Assert.Equal("within-6-months", Explain(framework, "mortgage.rate-ending", Sheet(("mortgage.fixed_rate_ends", FactSheet.FromDate(Today.PlusDays(100))))).Variant);
        Assert.Equal(AdvisoryFramework.NotRaised, Explain(framework, "mortgage.rate-ending", Sheet(("mortgage.fixed_rate_ends", FactSheet.FromDate(Today.PlusDays(400))))).Outcome);
    }

    [Fact]
    public void LifeCover_GranulatesByAgeBand_AndTreatsNoPolicyAsNoCover()
    {
        var framework = BuiltInFramework.Framework;
        var young = Sheet(("income", 200_000), ("dependants", 2), ("client.age", 38));
        var older = Sheet(("income", 200_000), ("dependants", 2), ("client.age", 52), ("life.cover", 2_500_000));
        var covered = Sheet(("income", 200_000), ("dependants", 2), ("client.age", 52), ("life.cover", 2_000_000));

        var first = Explain(framework, "insurance.life-cover-low", young);
        Assert.Equal("under-45", first.Variant);
        Assert.Contains(first.Values, v => v.Name == "shortfall" && v.Value == "$2,000,000");
        Assert.Equal(AdvisoryFramework.NotRaised, Explain(framework, "insurance.life-cover-low", older).Outcome);
        Assert.Equal(AdvisoryFramework.NotRaised, Explain(framework, "insurance.life-cover-low", covered).Outcome);
    }

    [Fact]
    public void ARuleMeetingAMissingFact_CouldNotEvaluate_AndNamesTheFact()
    {
        var framework = Load("""
            rule test.cash "Cash below a month of income"
              category test
              when cash < income / 12
              variant low "Low" at urgency 10 sensitivity 10
            end
            """);

        var explanation = framework.Explain(0, Sheet(("income", 120_000)), framework.DayOf(Today));

        Assert.Equal(AdvisoryFramework.CouldNotEvaluate, explanation.Outcome);
        Assert.Equal("not known: cash", explanation.CouldNotEvaluate);
    }

    [Fact]
    public void ADivisionByZero_CouldNotEvaluate_InsteadOfThrowing()
    {
        var framework = Load("""
            rule test.ratio "Ratio"
              category test
              let ratio = cash / income
              when ratio > 2
              variant high "High" at urgency 10 sensitivity 10
            end
            """);

        var explanation = framework.Explain(0, Sheet(("cash", 5_000), ("income", 0)), framework.DayOf(Today));

        Assert.Equal(AdvisoryFramework.CouldNotEvaluate, explanation.Outcome);
        Assert.Equal("a calculation divided by zero or went out of range", explanation.CouldNotEvaluate);
    }

    [Fact]
    public void FalseAndUnknown_IsFalse_SoAGuardedRuleEvaluatesWithoutTheFact()
    {
        var framework = Load("""
            rule test.guarded "Guarded"
              category test
              when known(cash) and cash < 10k
              variant low "Low" at urgency 10 sensitivity 10
            end
            """);
        var outcomes = new int[1];

        framework.Evaluate(Sheet(), framework.DayOf(Today), outcomes);

        Assert.Equal(AdvisoryFramework.NotRaised, outcomes[0]);
    }

    [Fact]
    public void DatesRelativeToToday_UseRealCalendarYears()
    {
        var framework = Load("""
            rule test.review "Review"
              category test
              when beneficiaries.reviewed_on < years_ago(3)
              variant old "Old" at urgency 10 sensitivity 10
            end
            """);
        var outcomes = new int[1];
        var day = framework.DayOf(new LocalDate(2028, 2, 29));

        framework.Evaluate(Sheet(("beneficiaries.reviewed_on", FactSheet.FromDate(new LocalDate(2025, 2, 28)))), day, outcomes);
        Assert.Equal(AdvisoryFramework.NotRaised, outcomes[0]);
        framework.Evaluate(Sheet(("beneficiaries.reviewed_on", FactSheet.FromDate(new LocalDate(2025, 2, 27)))), day, outcomes);
        Assert.Equal(1, outcomes[0]);
    }

    [Theory]
    [InlineData("  when incme > 5\n", 3, 8, "'incme' is not a fact, a named value or a keyword; did you mean \"income\"?")]
    [InlineData("  when income > today\n", 3, 15, "the two sides of '>' must be of one type, but found money and a date")]
    [InlineData("  when income + 5%\n", 3, 15, "cannot add money to a percentage")]
    [InlineData("  when income\n", 3, 8, "'when' must be a condition (true or false), but this is money")]
    [InlineData("  when tier = \"D\"\n", 3, 15, "\"D\" is not a value of tier; it is one of \"A\", \"B\", \"C\", \"unsegmented\"")]
    [InlineData("  when system(\"rm\") = 1\n", 3, 8, "'system' is not a function of the rule language")]
    [InlineData("  when (income > 5\n", 3, 19, "expected ')', found the end of the line")]
    [InlineData("  when years_ago(income) > today\n", 3, 18, "years_ago takes a whole number from 0 to 200, e.g. years_ago(3)")]
    public void ARuleThatDoesNotParseOrTypeCheck_IsRefused_AtItsLineAndColumn(string whenLine, int line, int column, string message)
    {
        var text = "rule test.bad \"Bad\"\n  category test\n" + whenLine + "  variant v \"V\" at urgency 1 sensitivity 1\nend\n";

        var result = AdvisoryFramework.Load(text, "firm.rules", FactCatalog.Default);

        Assert.False(result.Succeeded);
        var error = result.Diagnostics[0];
        Assert.Equal(("firm.rules", line, column, message), (error.File, error.Line, error.Column, error.Message));
    }

    [Fact]
    public void EveryProblemInAFile_IsReported_NotJustTheFirst()
    {
        var text = """
            rule a "A"
              category test
              when cash > $1m and
              variant v "V" at urgency 1 sensitivity 1
            end
            rule b "B"
              category test
              when cash > 5
              variant v "V" if cash > 9 at urgency 1 sensitivity 1
            end
            rule a "A again"
              category test
              when cash > 5
              variant v "V" at urgency 101 sensitivity 1
            end
            """;

        var result = AdvisoryFramework.Load(text, "firm.rules", FactCatalog.Default);

        Assert.Equal([3, 9, 14], result.Diagnostics.Select(d => d.Line));
    }

    [Fact]
    public void Evaluating_AllocatesNothing()
    {
        var framework = BuiltInFramework.Framework;
        var sheet = Sheet(("income", 150_000), ("cash", 900_000), ("client.age", 74), ("dependants", 1), ("rmd.required", 20_000), ("tier", 0));
        var outcomes = new int[framework.Rules.Count];
        var day = framework.DayOf(new LocalDate(2026, 12, 1));
        framework.Evaluate(sheet, day, outcomes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            framework.Evaluate(sheet, day, outcomes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains(outcomes, o => o > 0);
    }

    private static AdvisoryFramework Load(string text)
    {
        var result = AdvisoryFramework.Load(text, "test.rules", FactCatalog.Default);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Framework!;
    }

    private static RuleExplanation Explain(AdvisoryFramework framework, string rule, double[] sheet) =>
        framework.Explain(framework.Rules.ToList().FindIndex(r => r.Key == rule), sheet, framework.DayOf(Today));

    private static double[] Sheet(params (string Fact, double Value)[] facts)
    {
        var sheet = FactSheet.Empty(FactCatalog.Default);
        foreach (var (fact, value) in facts)
        {
            sheet[FactCatalog.Default.Get(fact).Ordinal] = value;
        }

        return sheet;
    }
}
