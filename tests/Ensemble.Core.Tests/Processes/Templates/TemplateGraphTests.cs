using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

/// <summary>Checks that span steps: cycles, size and depth.</summary>
public sealed class TemplateGraphTests
{
    [Fact]
    public void Load_WhenStepsWaitInACycle_NamesTheCycleFromItsFirstStep()
    {
        var result = LoadSteps("""
              - key: a
                title: A
                role: paraplanner
                after: [c]
              - key: b
                title: B
                role: paraplanner
                after: [a]
              - key: c
                title: C
                role: paraplanner
                after: [b]
              - key: d
                title: D, behind the cycle
                role: paraplanner
                after: [c]

            """);

        var error = AssertError(result, 10, 13, "steps form a cycle: a → c → b → a");
        Assert.Equal(error, Assert.Single(result.Diagnostics));
    }

    [Fact]
    public void Load_WhenStepWaitsForItself_SaysSo()
    {
        var result = LoadSteps("  - key: a\n    title: A\n    role: paraplanner\n    after: [a]\n");

        AssertError(result, 10, 13, "step \"a\" waits for itself");
    }

    [Fact]
    public void Load_WhenTwoSeparateCycles_ReportsBoth()
    {
        var result = LoadSteps("""
              - key: a
                title: A
                role: paraplanner
                after: [b]
              - key: b
                title: B
                role: paraplanner
                after: [a]
              - key: c
                title: C
                role: paraplanner
                after: [d]
              - key: d
                title: D
                role: paraplanner
                after: [c]

            """);

        AssertError(result, 10, 13, "steps form a cycle: a → b → a");
        AssertError(result, 18, 13, "steps form a cycle: c → d → c");
        Assert.Equal(2, result.Diagnostics.Count);
    }

    [Fact]
    public void Load_WhenStepListsTheSameDependencyTwice_ReportsTheSecond()
    {
        var result = LoadSteps("""
              - key: a
                title: A
                role: paraplanner
              - key: b
                title: B
                role: paraplanner
                after: [a, a]

            """);

        AssertError(result, 13, 16, "step \"b\" lists \"a\" more than once under after");
    }

    [Fact]
    public void Load_WhenTemplateHasTenThousandSteps_Validates()
    {
        var yaml = new System.Text.StringBuilder(Header);
        for (var i = 0; i < 10_000; i++)
        {
            yaml.Append($"  - key: s{i}\n    title: Step {i}\n    role: paraplanner\n");
            if (i > 0)
            {
                // Fan in: each step waits for a few earlier ones, with a due rule on one of them.
                var after = i < 3 ? $"s{i - 1}" : $"s{i / 2}, s{i - 1}";
                yaml.Append($"    after: [{after}]\n    due: 2 business days after s0\n    when: members >= 2 or has_tag('vip')\n");
            }
        }

        var template = Loaded(yaml.ToString());

        Assert.Equal(10_000, template.Steps.Count);
        Assert.Single(template.EntrySteps);
    }

    [Fact]
    public void Load_WhenDependencyChainIsAThousandDeep_ValidatesWithoutOverflow()
    {
        var template = Loaded(Chain(1_000));

        Assert.Equal(1_000, template.Steps.Count);
        Assert.Equal(new AfterStep("s0", 1, "1 business day after s0"), template.Steps[999].Due);
    }

    [Fact]
    public void Load_WhenDependencyChainIsFiftyThousandDeep_ValidatesWithoutOverflow()
    {
        Assert.True(Load(Chain(50_000)).Succeeded);
    }

    [Fact]
    public void Load_WhenLongChainClosesIntoACycle_ReportsItWithoutOverflow()
    {
        var yaml = Chain(5_000).Replace("  - key: s0\n    title: Step 0\n    role: paraplanner\n", "  - key: s0\n    title: Step 0\n    role: paraplanner\n    after: [s4999]\n", StringComparison.Ordinal);

        var error = Assert.Single(Load(yaml).Diagnostics);
        Assert.StartsWith("steps form a cycle: s0 → s4999 → s4998 → ", error.Message, StringComparison.Ordinal);
        Assert.Contains("→ s1 → s0 (each waits for the next", error.Message, StringComparison.Ordinal);
    }
}
