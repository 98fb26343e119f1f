using Ensemble.Households;
using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

public sealed class ConditionTests
{
    private static readonly HouseholdFacts Known = new(
        LifecycleStage.Client,
        NetWorth: 2_500_000m,
        InvestableAssets: 1_200_000m,
        HouseholdIncome: 300_000m,
        InitialRevenue: 8_000m,
        RecurringRevenue: 12_000m,
        ReferralsGiven: 2,
        Products: 4,
        PrimaryAge: 52,
        Members: 3,
        Dependants: 1,
        AccountTypes: new HashSet<string> { "ira", "roth-ira" },
        PolicyTypes: new HashSet<string> { "life" },
        Tags: new HashSet<string> { "vip" });

    private static readonly HouseholdFacts Unknown = HouseholdFacts.None with { Stage = LifecycleStage.Prospect };

    private static FactCondition Parse(string text)
    {
        Assert.True(FactCondition.TryParse(text, out var condition, out var errors), string.Join("; ", errors));
        Assert.Empty(errors);
        return condition;
    }

    private static ConditionError ParseError(string text)
    {
        Assert.False(FactCondition.TryParse(text, out var condition, out var errors));
        Assert.Null(condition);
        return Assert.Single(errors);
    }

    [Theory]
    [InlineData("net_worth >= 2m", true, false)]
    [InlineData("net_worth >= 2.5m", true, false)]
    [InlineData("net_worth > 2.5m", false, false)]
    [InlineData("investable_assets = 1200k", true, false)]
    [InlineData("investable_assets == 1200000", true, false)]
    [InlineData("investable_assets != 1200000", false, false)]
    [InlineData("household_income < 400k", true, false)]
    [InlineData("household_income <= 300000.00", true, false)]
    [InlineData("initial_revenue >= 5.5k", true, false)]
    [InlineData("recurring_revenue > 10K", true, false)]
    [InlineData("referrals >= 2", true, false)]
    [InlineData("products >= 4", true, false)]
    [InlineData("primary_age >= 45 and primary_age <= 60", true, false)]
    [InlineData("members = 3", true, false)]
    [InlineData("members = 0", false, true)]
    [InlineData("dependants > 0", true, false)]
    [InlineData("stage = 'client'", true, false)]
    [InlineData("stage == \"prospect\"", false, true)]
    [InlineData("stage != 'former-client'", true, true)]
    [InlineData("has_account('ira')", true, false)]
    [InlineData("has_account('Roth IRA')", true, false)]
    [InlineData("has_account('401k')", false, false)]
    [InlineData("has_policy('life')", true, false)]
    [InlineData("has_tag('VIP')", true, false)]
    [InlineData("has_tag('vip') = false", false, true)]
    [InlineData("has_tag('vip') != false", true, false)]
    [InlineData("true", true, true)]
    [InlineData("FALSE", false, false)]
    public void IsMetBy_EvaluatesComparisonsAndFunctions(string text, bool known, bool unknown)
    {
        var condition = Parse(text);

        Assert.Equal(known, condition.IsMetBy(Known));
        Assert.Equal(unknown, condition.IsMetBy(Unknown));
    }

    [Theory]
    [InlineData("net_worth >= 2m and has_tag('vip')", true)]
    [InlineData("net_worth >= 3m and has_tag('vip')", false)]
    [InlineData("net_worth >= 3m or has_tag('vip')", true)]
    [InlineData("net_worth >= 3m or has_tag('none')", false)]
    [InlineData("not has_tag('vip')", false)]
    [InlineData("not not has_tag('vip')", true)]
    [InlineData("not (net_worth >= 3m or members = 3)", false)]
    [InlineData("net_worth >= 3m or members = 3 and dependants = 1", true)]
    [InlineData("(net_worth >= 3m or members = 3) and dependants = 2", false)]
    [InlineData("net_worth >= 3m OR members = 3 AND NOT dependants = 2", true)]
    public void IsMetBy_CombinesWithAndOrNotAndParentheses(string text, bool expected)
    {
        Assert.Equal(expected, Parse(text).IsMetBy(Known));
    }

    [Fact]
    public void IsMetBy_WhenFactIsUnknown_ComparisonIsFalseAndItsNegationTrue()
    {
        Assert.False(Parse("net_worth >= 0").IsMetBy(Unknown));
        Assert.False(Parse("net_worth < 0").IsMetBy(Unknown));
        Assert.False(Parse("net_worth != 5").IsMetBy(Unknown));
        Assert.True(Parse("not net_worth >= 0").IsMetBy(Unknown));
        Assert.True(Parse("not (primary_age < 60)").IsMetBy(Unknown));
    }

    [Fact]
    public void IsMetBy_WhenConditionIsALongFlatChain_EvaluatesWithoutRecursion()
    {
        var text = string.Join(" and ", Enumerable.Repeat("members >= 1", 20_000));

        Assert.True(Parse(text).IsMetBy(Known));
    }

    [Fact]
    public void Parse_KeepsTheTextAsWritten()
    {
        Assert.Equal("members  >=  1", Parse("members  >=  1").Text);
        Assert.Equal("members  >=  1", Parse("members  >=  1").ToString());
    }

    [Theory]
    [InlineData("net_wrth > 1", 0, "\"net_wrth\" is not a fact conditions can use; did you mean \"net_worth\"?")]
    [InlineData("dependents > 1", 0, "did you mean \"dependants\"?")]
    [InlineData("wealth > 1", 0, "(facts: net_worth, investable_assets, household_income, initial_revenue, recurring_revenue, referrals, products, primary_age, members, dependants, stage, tier)")]
    [InlineData("net_worth > 'rich'", 12, "net_worth is an amount; compare it with a number, e.g. net_worth >= 2m")]
    [InlineData("referrals >= true", 13, "referrals is a number; compare it with a number, e.g. referrals >= 3")]
    [InlineData("stage > 'client'", 6, "stage can only be compared with = or !=")]
    [InlineData("stage = 'clients'", 8, "\"clients\" is not a stage; use 'prospect', 'client' or 'former-client'; did you mean \"client\"?")]
    [InlineData("stage = 3", 8, "stage is compared with 'prospect', 'client' or 'former-client'")]
    [InlineData("stage = former-client", 8, "put the stage in quotes: stage = 'former-client'")]
    [InlineData("has_acount('ira')", 0, "\"has_acount\" is not a function conditions can use; did you mean \"has_account\"?")]
    [InlineData("net_worth('x')", 0, "net_worth is a fact, not a function")]
    [InlineData("has_account('')", 12, "has_account needs an account type, e.g. has_account('ira')")]
    [InlineData("has_tag('vip') > true", 15, "has_tag(...) is true or false; compare it with = or !=")]
    [InlineData("has_tag('vip') = 1", 17, "compare it with true or false, not \"1\"")]
    public void TryParse_WhenConditionHasATypeError_ReportsItsOffset(string text, int offset, string message)
    {
        var error = ParseError(text);

        Assert.Equal(offset, error.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 0, "the condition is empty")]
    [InlineData("net_worth >= 1m and", 19, "the condition ends too early")]
    [InlineData("and net_worth > 1", 0, "expected a condition before \"and\"")]
    [InlineData("net_worth 5", 10, "expected a comparison after net_worth, e.g. net_worth >= 2m")]
    [InlineData("net_worth >=", 12, "expected a value after >=")]
    [InlineData("net_worth >= 1m members = 2", 16, "unexpected \"members\"; join conditions with and / or")]
    [InlineData("(net_worth >= 1m", 0, "this \"(\" is never closed")]
    [InlineData("net_worth >= 1m)", 15, "this \")\" has no matching \"(\"")]
    [InlineData("has_tag('vip", 8, "this quoted text has no closing quote")]
    [InlineData("has_tag(vip)", 8, "has_tag takes one value in quotes, e.g. has_tag('vip')")]
    [InlineData("has_tag", 0, "has_tag needs a tag in parentheses, e.g. has_tag('vip')")]
    [InlineData("net_worth >= 1,000,000", 13, "write numbers without commas")]
    [InlineData("net_worth >= $1m", 13, "write amounts without a currency sign")]
    [InlineData("net_worth >= 1x", 13, "\"1x\" is not a number")]
    [InlineData("members = 1 && dependants = 0", 12, "write and instead of &&")]
    [InlineData("members = 1 || dependants = 0", 12, "write or instead of ||")]
    [InlineData("!has_tag('vip')", 0, "write not instead of !")]
    [InlineData("members <> 1", 8, "write != for \"not equal\"")]
    [InlineData("members = 1 ; x", 12, "unexpected character \";\"")]
    public void TryParse_WhenConditionHasASyntaxError_ReportsItsOffset(string text, int offset, string message)
    {
        var error = ParseError(text);

        Assert.Equal(offset, error.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenSeveralTypeErrors_ReportsThemAll()
    {
        Assert.False(FactCondition.TryParse("net_wrth > 1 and stage < 'client' or has_tg('x')", out _, out var errors));

        Assert.Equal([0, 23, 37], errors.Select(e => e.Offset));
    }

    [Fact]
    public void TryParse_WhenNestingIsSixtyFourDeep_Accepts()
    {
        Assert.True(Parse(new string('(', 32) + string.Concat(Enumerable.Repeat("not ", 32)) + "members = 3" + new string(')', 32)).IsMetBy(Known));
    }

    [Fact]
    public void TryParse_WhenNestingIsDeeperThanSixtyFour_ReportsInsteadOfOverflowing()
    {
        var parentheses = ParseError(new string('(', 100_000) + "members = 3" + new string(')', 100_000));
        var nots = ParseError(string.Concat(Enumerable.Repeat("not ", 100_000)) + "members = 3");

        Assert.Equal(64, parentheses.Offset);
        Assert.Contains("nests more than 64 levels", parentheses.Message, StringComparison.Ordinal);
        Assert.Equal(64 * 4, nots.Offset);
    }

    [Fact]
    public void Load_WhenConditionInPlainScalarHasError_PointsAtTheColumnInTheLine()
    {
        var result = LoadSteps("  - key: a\n    title: A\n    role: paraplanner\n    when: members >= 1 and net_wrth > 5\n");

        AssertError(result, 10, 28, "step \"a\", condition: \"net_wrth\" is not a fact conditions can use");
    }

    [Fact]
    public void Load_WhenConditionInQuotedScalarHasError_CountsTheQuoteAndEscapes()
    {
        var single = LoadSteps("  - key: a\n    title: A\n    role: paraplanner\n    when: 'has_tag(\"it''s\") and net_wrth > 5'\n");
        var dbl = LoadSteps("  - key: a\n    title: A\n    role: paraplanner\n    when: \"has_tag('\\u0076ip') and net_wrth > 5\"\n");

        // Decoded text: has_tag("it's") and net_wrth > 5 → net_wrth at offset 20; '' in the source is one character.
        AssertError(single, 10, 11 + 1 + 20 + 1, "\"net_wrth\"");
        // Decoded text: has_tag('vip') and net_wrth > 5 → offset 19; \u0076 takes 6 source characters for 1.
        AssertError(dbl, 10, 11 + 1 + 19 + 5, "\"net_wrth\"");
    }

    [Fact]
    public void Load_WhenConditionInBlockScalarHasError_PointsAtTheScalar()
    {
        var result = LoadSteps("  - key: a\n    title: A\n    role: paraplanner\n    when: >\n      members >= 1\n      and net_wrth > 5\n");

        AssertError(result, 10, 11, "\"net_wrth\" is not a fact");
    }
}
