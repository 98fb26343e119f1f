using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

public sealed class TemplateYamlRoundTripTests
{
    [Fact]
    public void ToYaml_WhenLoadedBack_GivesTheSameTemplate()
    {
        var original = Loaded(Full);

        var yaml = TemplateLoader.ToYaml(original);
        var reloaded = Loaded(yaml);

        AssertSameContent(original, reloaded);
        Assert.Equal(yaml, TemplateLoader.ToYaml(reloaded));
    }

    [Fact]
    public void ToYaml_WhenTextNeedsQuoting_QuotesItSoItSurvives()
    {
        Assert.True(FactCondition.TryParse("stage = \"client\" and has_tag(\"it's\") or members > 1.5k", out var condition, out _));
        var original = new ProcessTemplate(
            "tricky",
            "Review: Q1 # not a comment",
            TemplateCategory.PracticeManagement,
            TemplateScope.Firm,
            "  Starts with spaces.\nHas \"quotes\", 'apostrophes', a tab\there and ünïcode →.\n\nAnd a blank line.",
            "principal",
            ["meeting", "deadline"],
            [
                new ManualTrigger(),
                new EventTrigger(EventKind.AccountOpened, null),
                new PeriodicTrigger(Cadence.SemiAnnual, null, 20, 7, MissedRunPolicy.CatchUp, 30, OverlapPolicy.CancelPrevious, PeriodicAudience.Firm),
                new PeriodicTrigger(Cadence.Monthly, null, 1, 1, MissedRunPolicy.Skip, 0, OverlapPolicy.Allow, PeriodicAudience.Firm),
                new PeriodicTrigger(Cadence.Cron, "*/15 9-17 * * 1-5", 1, 1, MissedRunPolicy.CatchUp, 10, OverlapPolicy.SkipWhileOpen, PeriodicAudience.Firm),
            ],
            [
                new StepDefinition("yes", "- starts with a dash", "", "compliance", 4800, new AfterStart(0, "same day"), [], null, ["a, b", "[x]", "{y}", "#z", "null", "~", "123", "true", "'single'", "\"double\"", "key: value"], true),
                new StepDefinition("no", "null", "Line one.\nLine two with trailing text", "principal", 1, new RelativeToAnchor("deadline", -3, true, "3 business days before deadline"), ["yes"], condition, [], false),
                new StepDefinition("123", "~", "", "principal", 15, new AfterStep("no", 2, "2 business days after no"), ["no", "yes"], null, [], false),
            ]);

        var reloaded = Loaded(TemplateLoader.ToYaml(original));

        AssertSameContent(original, reloaded);
    }

    [Fact]
    public void ToYaml_WritesReadableYamlLeavingDefaultsOut()
    {
        var template = Loaded(Header + """
              - key: a
                title: Collect forms
                role: paraplanner
                checklist: [Application]
              - key: b
                title: Send
                role: paraplanner
                minutes: 20
                after: a
                due: 1 business day after a
                when: has_account('ira')

            """);

        Assert.Equal("""
            key: test-process
            name: Test process
            category: sales
            scope: household
            description: A process for tests.
            owner: paraplanner
            triggers:
              - manual
            steps:
              - key: a
                title: Collect forms
                role: paraplanner
                minutes: 15
                checklist:
                  - Application
              - key: b
                title: Send
                role: paraplanner
                minutes: 20
                due: 1 business day after a
                after: [a]
                when: has_account('ira')

            """, TemplateLoader.ToYaml(template));
    }

    internal static void AssertSameContent(ProcessTemplate expected, ProcessTemplate actual)
    {
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Category, actual.Category);
        Assert.Equal(expected.Scope, actual.Scope);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.OwnerRole, actual.OwnerRole);
        Assert.Equal(expected.Anchors, actual.Anchors);
        Assert.Equal(expected.Triggers, actual.Triggers);
        Assert.Equal(expected.Steps.Count, actual.Steps.Count);
        foreach (var (e, a) in expected.Steps.Zip(actual.Steps))
        {
            Assert.Equal(e.Key, a.Key);
            Assert.Equal(e.Title, a.Title);
            Assert.Equal(e.Instructions, a.Instructions);
            Assert.Equal(e.Role, a.Role);
            Assert.Equal(e.EstimatedMinutes, a.EstimatedMinutes);
            Assert.Equal(e.Due, a.Due);
            Assert.Equal(e.After, a.After);
            Assert.Equal(e.Condition?.Text, a.Condition?.Text);
            Assert.Equal(e.Checklist, a.Checklist);
            Assert.Equal(e.Skippable, a.Skippable);
        }
    }
}
