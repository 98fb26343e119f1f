using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

public sealed class DueRuleTests
{
    /// <summary>Anchors meeting; step "first", then step "second" waiting for it with the rule on line 15, column 10.</summary>
    private static string WithDueYaml(string due) => Header.Replace("steps:", "anchors: [meeting]\nsteps:", StringComparison.Ordinal) + $"""
          - key: first
            title: First
            role: paraplanner
          - key: second
            title: Second
            role: paraplanner
            after: [first]
            due: {due}

        """;

    private static TemplateLoadResult WithDue(string due) => Load(WithDueYaml(due));

    public static TheoryData<string, DueRule> Forms => new()
    {
        { "3 business days after start", new AfterStart(3, "3 business days after start") },
        { "1 business day after start", new AfterStart(1, "1 business day after start") },
        { "0 business days after start", new AfterStart(0, "0 business days after start") },
        { "same day", new AfterStart(0, "same day") },
        { "on start", new AfterStart(0, "on start") },
        { "2 business days after first", new AfterStep("first", 2, "2 business days after first") },
        { "7 days before meeting", new RelativeToAnchor("meeting", -7, false, "7 days before meeting") },
        { "1 day after meeting", new RelativeToAnchor("meeting", 1, false, "1 day after meeting") },
        { "2 business days before meeting", new RelativeToAnchor("meeting", -2, true, "2 business days before meeting") },
        { "1 business day after meeting", new RelativeToAnchor("meeting", 1, true, "1 business day after meeting") },
        { "on meeting", new RelativeToAnchor("meeting", 0, false, "on meeting") },
        { "3650 days before meeting", new RelativeToAnchor("meeting", -3650, false, "3650 days before meeting") },
        { "'  2  Business  Days  After  first '", new AfterStep("first", 2, "  2  Business  Days  After  first ") },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Load_WhenDueRuleIsWellFormed_ParsesIt(string text, DueRule expected)
    {
        Assert.Equal(expected, Loaded(WithDueYaml(text)).Steps[1].Due);
    }

    [Theory]
    [InlineData("sometime soon", "due rule \"sometime soon\" is not understood; write it like \"3 business days after start\"")]
    [InlineData("3 weeks after start", "is not understood")]
    [InlineData("3 business days after", "is not understood")]
    [InlineData("-1 days before meeting", "must count a whole number of days from 0 to 3650, not \"-1\"")]
    [InlineData("3651 days before meeting", "must count a whole number of days from 0 to 3650")]
    [InlineData("2 days before review", "due rule \"2 days before review\" uses anchor \"review\", which the template does not declare under anchors")]
    [InlineData("on meting", "uses anchor \"meting\", which the template does not declare under anchors; did you mean \"meeting\"?")]
    [InlineData("2 business days after ghost", "refers to \"ghost\", which is neither a step of this template nor an anchor declared under anchors")]
    [InlineData("3 days after start", "counts calendar days; count from the start in business days, e.g. \"3 business days after start\"")]
    [InlineData("2 business days before start", "falls before the process starts")]
    [InlineData("2 days after first", "counts calendar days after a step; steps count in business days, e.g. \"2 business days after first\"")]
    [InlineData("2 business days before first", "cannot fall before or on another step")]
    [InlineData("on first", "cannot fall before or on another step")]
    [InlineData("1 business day after second", "step \"second\" cannot be due after itself")]
    public void Load_WhenDueRuleIsWrong_ReportsItAtTheDueNode(string due, string message)
    {
        AssertError(WithDue(due), 15, 10, message);
    }

    [Fact]
    public void Load_WhenDueStepIsNotWaitedFor_ReportsThatItsDateMayBeUnknown()
    {
        var result = LoadSteps("""
              - key: collect
                title: Collect
                role: paraplanner
              - key: send
                title: Send
                role: paraplanner
                due: 2 business days after collect

            """);

        AssertError(result, 13, 10, "step \"send\" is due \"2 business days after collect\", but does not wait for \"collect\" (directly or through other steps), so that date may be unknown when its task starts; add \"collect\" under after");
    }

    [Fact]
    public void Load_WhenDueStepIsWaitedForThroughOthers_Accepts()
    {
        var template = Loaded(Header + """
              - key: a
                title: A
                role: paraplanner
              - key: b
                title: B
                role: paraplanner
                after: [a]
              - key: c
                title: C
                role: paraplanner
                after: [b]
                due: 2 business days after a

            """);

        Assert.Equal(new AfterStep("a", 2, "2 business days after a"), template.Steps[2].Due);
    }

    [Fact]
    public void Load_WhenDueStepIsLaterInTheChain_Reports()
    {
        var result = LoadSteps("""
              - key: a
                title: A
                role: paraplanner
                due: 1 business day after b
              - key: b
                title: B
                role: paraplanner
                after: [a]

            """);

        AssertError(result, 10, 10, "step \"a\" is due \"1 business day after b\", but does not wait for \"b\"");
    }
}
