using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

public sealed class TriggerTests
{
    private const string OneStep = "  - key: a\n    title: A\n    role: paraplanner\n";

    /// <summary>The given trigger lines start on line 7 (after "triggers:" on line 6); scope is inserted when given.</summary>
    private static TemplateLoadResult WithTriggers(string triggers, string scope = "household") =>
        Load(Header.Replace("steps:", $"triggers:\n{triggers}scope: {scope}\nsteps:", StringComparison.Ordinal) + OneStep);

    private static IReadOnlyList<Trigger> Triggers(string triggers, string scope = "household")
    {
        var result = WithTriggers(triggers, scope);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Template!.Triggers;
    }

    [Fact]
    public void Load_WhenPeriodicTriggerLeavesOptionsOut_UsesDefaultsForAHouseholdTemplate()
    {
        var trigger = Assert.Single(Triggers("  - every: monthly\n"));

        Assert.Equal(new PeriodicTrigger(Cadence.Monthly, null, 1, 1, MissedRunPolicy.CatchUp, 10, OverlapPolicy.SkipWhileOpen, PeriodicAudience.AllClients), trigger);
    }

    [Fact]
    public void Load_WhenFirmTemplateIsPeriodic_RunsForTheFirmByDefault()
    {
        var trigger = Assert.Single(Triggers("  - every: annual\n    start-month: 11\n", scope: "firm"));

        Assert.Equal(new PeriodicTrigger(Cadence.Annual, null, 1, 11, MissedRunPolicy.CatchUp, 10, OverlapPolicy.SkipWhileOpen, PeriodicAudience.Firm), trigger);
    }

    [Theory]
    [InlineData("monthly", Cadence.Monthly)]
    [InlineData("quarterly", Cadence.Quarterly)]
    [InlineData("semi-annual", Cadence.SemiAnnual)]
    [InlineData("annual", Cadence.Annual)]
    public void Load_WhenCadenceIsNamed_MapsIt(string every, Cadence cadence)
    {
        Assert.Equal(cadence, Assert.IsType<PeriodicTrigger>(Assert.Single(Triggers($"  - every: {every}\n"))).Cadence);
    }

    [Theory]
    [InlineData("household-became-client", EventKind.HouseholdBecameClient)]
    [InlineData("account-opened", EventKind.AccountOpened)]
    public void Load_WhenEventIsNamed_MapsIt(string on, EventKind kind)
    {
        Assert.Equal(new EventTrigger(kind, null), Assert.Single(Triggers($"  - on: {on}\n")));
    }

    [Fact]
    public void Load_WhenTriggersIsEmpty_StartsByHand()
    {
        var result = Load(Header.Replace("steps:", "triggers: []\nsteps:", StringComparison.Ordinal) + OneStep);

        Assert.Equal([new ManualTrigger()], result.Template!.Triggers);
    }

    [Fact]
    public void Load_WhenCronIsInvalid_ReportsCronosReasonAtTheNode()
    {
        var result = WithTriggers("  - cron: \"0 9 * * 8\"\n");

        AssertError(result, 7, 11, "cron \"0 9 * * 8\" in trigger 1 is not a valid 5-field cron expression (minute hour day-of-month month day-of-week): Days of week:");
    }

    [Fact]
    public void Load_WhenCronHasSixFields_ReportsIt()
    {
        AssertError(WithTriggers("  - cron: 0 0 9 * * 1\n"), 7, 11, "is not a valid 5-field cron expression");
    }

    [Fact]
    public void Load_WhenTriggerOptionsAreWrong_ReportsEach()
    {
        var result = WithTriggers("""
              - every: fortnightly
                day: 21
                start-month: 13
                for: everyone
                missed: ignore
                catch-up-days: 0
                overlap: queue
              - cron: "0 9 * * 1"
                day: 3
              - every: monthly
                start-month: 4
              - every: annual
                missed: skip
                catch-up-days: 5

            """);

        AssertError(result, 7, 12, "every \"fortnightly\" is not one of: monthly, quarterly, semi-annual, annual");
        AssertError(result, 8, 10, "\"day\" in trigger 1 must be a whole number from 1 to 20, not \"21\"");
        AssertError(result, 9, 18, "\"start-month\" in trigger 1 must be a whole number from 1 to 12, not \"13\"");
        AssertError(result, 10, 10, "for \"everyone\" is not one of: firm, all-clients");
        AssertError(result, 11, 13, "missed \"ignore\" is not one of: catch-up, skip");
        AssertError(result, 12, 20, "\"catch-up-days\" in trigger 1 must be a whole number from 1 to 366, not \"0\"");
        AssertError(result, 13, 14, "overlap \"queue\" is not one of: allow, skip-while-open, cancel-previous");
        AssertError(result, 15, 5, "\"day\" applies to every: triggers; a cron expression sets its own days");
        AssertError(result, 17, 5, "\"start-month\" has no effect on a monthly trigger");
        AssertError(result, 20, 5, "\"catch-up-days\" only applies with missed: catch-up");
        Assert.Equal(10, result.Diagnostics.Count);
    }

    [Fact]
    public void Load_WhenFirmTemplateRunsForAllClients_ReportsTheContradiction()
    {
        AssertError(WithTriggers("  - every: quarterly\n    for: all-clients\n", scope: "firm"), 8, 10, "a template with scope: firm runs once for the firm");
    }

    [Fact]
    public void Load_WhenEventTriggerIsIncomplete_ReportsIt()
    {
        var result = WithTriggers("""
              - on: process-completed
              - on: account-opened
                process: other
              - on: process-completed
                process: test-process
              - on: client-signed

            """);

        AssertError(result, 7, 5, "trigger 1 starts when a process completes; name it with process: <template key>");
        AssertError(result, 9, 5, "\"process\" only applies to on: process-completed");
        AssertError(result, 11, 14, "trigger 3 would start this template each time it completes itself");
        AssertError(result, 12, 9, "on \"client-signed\" is not one of: household-became-client, account-opened, process-completed");
    }

    [Fact]
    public void Load_WhenTriggerShapeIsWrong_SaysWhatATriggerIs()
    {
        var result = WithTriggers("""
              - manually
              - household-became-client
              - day: 3
              - on: account-opened
                every: monthly
              - [manual]

            """);

        AssertError(result, 7, 5, "trigger 1 \"manually\" is not understood; write manual, or a trigger with on:, every: or cron:");
        AssertError(result, 8, 5, "write it as \"on: household-became-client\"");
        AssertError(result, 9, 5, "trigger 3 needs one of on:, every: or cron:");
        AssertError(result, 10, 5, "trigger 4 can have only one of on:, every: or cron:");
        AssertError(result, 12, 5, "trigger 5 must be manual, or a trigger with on:, every: or cron:");
    }
}
