using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using NodaTime;
using NodaTime.Testing;

namespace Ensemble.Tests.Processes.Running;

public sealed class ProcessEngineTests
{
    private static readonly HouseholdId Household = new(1);
    private static readonly StaffId Alice = new(1);
    private static readonly StaffId Bob = new(2);

    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 24, 15, 0));

    private static StepDefinition Step(string key, string role, DueRule? due = null, params string[] after) =>
        new(key, key, "", role, 15, due, after, null, [], Skippable: false);

    private static ProcessTemplate Template(params StepDefinition[] steps) =>
        new("t", "Test", TemplateCategory.ServiceRequests, TemplateScope.Household, "", RoleKeys.Paraplanner, ["meeting"], [new ManualTrigger()], steps);

    private static WorkContext Context(params LocalDate[] aliceAway)
    {
        var alice = new Staff("alice", "Alice", "", [RoleKeys.Paraplanner]);
        var bob = new Staff("bob", "Bob", "", [RoleKeys.Paraplanner]);
        foreach (var day in aliceAway)
        {
            alice.AddAbsence(day, day, null);
        }

        var team = new List<TeamAssignment> { new(Household, RoleKeys.Paraplanner, Alice, [Bob]) };
        return new WorkContext(BusinessCalendar.UsDefault, DateTimeZoneProviders.Tzdb["America/New_York"], team,
            new Dictionary<StaffId, Staff> { [Alice] = alice, [Bob] = bob }, HouseholdFacts.None);
    }

    private static StartRequest Request(LocalDate meeting) =>
        new(Household, new Dictionary<string, LocalDate> { ["meeting"] = meeting }, "dan");

    [Fact]
    public void Start_ActivatesOnlyStepsThatWaitForNothing()
    {
        var template = Template(Step("a", RoleKeys.Paraplanner), Step("b", RoleKeys.Paraplanner, null, "a"));

        var started = new ProcessEngine(_clock).Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 7)), Context());

        Assert.Equal(["a"], started.Value.Activated.Select(t => t.StepKey));
    }

    [Fact]
    public void CompleteTask_WhenItIsAlreadyDone_IsRefusedAsAConflict()
    {
        var engine = new ProcessEngine(_clock);
        var template = Template(Step("a", RoleKeys.Paraplanner), Step("b", RoleKeys.Paraplanner, null, "a"));
        var instance = engine.Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 7)), Context()).Value.Instance;
        var a = instance.TaskFor("a")!;

        Assert.True(engine.Complete(instance, template, a, "alice", null, Context()).IsSuccess);
        var again = engine.Complete(instance, template, a, "bob", null, Context());

        Assert.Equal(ErrorKind.Conflict, again.Error!.Kind);
        Assert.Single(instance.Tasks, t => t.StepKey == "b");
    }

    [Fact]
    public void JoinStep_WaitsForEveryStepBeforeIt()
    {
        var engine = new ProcessEngine(_clock);
        var template = Template(Step("a", RoleKeys.Paraplanner), Step("b", RoleKeys.Paraplanner), Step("c", RoleKeys.Paraplanner, null, "a", "b"));
        var instance = engine.Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 7)), Context()).Value.Instance;

        engine.Complete(instance, template, instance.TaskFor("a")!, "alice", null, Context());
        Assert.Null(instance.TaskFor("c"));

        var last = engine.Complete(instance, template, instance.TaskFor("b")!, "alice", null, Context());
        Assert.Equal(["c"], last.Value.Activated.Select(t => t.StepKey));
    }

    [Fact]
    public void DueRelativeToMeeting_OnAClosedDay_MovesEarlierSoItNeverPassesTheMeeting()
    {
        // Seven days before Thursday 3 December is Thursday 26 November, Thanksgiving: due the Wednesday before.
        var template = Template(Step("prep", RoleKeys.Paraplanner, new RelativeToAnchor("meeting", -7, false, "7 days before meeting")));

        var started = new ProcessEngine(_clock).Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 3)), Context());

        Assert.Equal(new LocalDate(2026, 11, 25), started.Value.Activated.Single().DueOn);
    }

    [Fact]
    public void TaskDueOnADayTheHolderIsAway_GoesToTheBackup_WithTheReason()
    {
        var template = Template(Step("prep", RoleKeys.Paraplanner, new RelativeToAnchor("meeting", -1, true, "1 business day before meeting")));

        var task = new ProcessEngine(_clock).Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 8)), Context(new LocalDate(2026, 12, 7))).Value.Activated.Single();

        Assert.Equal(Bob, task.AssigneeId);
        Assert.Contains("Alice is away on 2026-12-07", task.RoutingNote, StringComparison.Ordinal);
    }

    [Fact]
    public void LastStepFinishing_CompletesTheInstance_AndRaisesProcessCompleted()
    {
        var engine = new ProcessEngine(_clock);
        var template = Template(Step("a", RoleKeys.Paraplanner));
        var instance = engine.Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 7)), Context()).Value.Instance;

        var done = engine.Complete(instance, template, instance.TaskFor("a")!, "alice", null, Context()).Value;

        Assert.True(done.InstanceCompleted);
        var e = Assert.Single(done.Events);
        Assert.Equal(EventKind.ProcessCompleted, e.Kind);
        Assert.Equal("t", e.TemplateKey);
    }

    [Fact]
    public void Cancel_ClosesOpenTasks_AndRefusesASecondCancel()
    {
        var engine = new ProcessEngine(_clock);
        var template = Template(Step("a", RoleKeys.Paraplanner), Step("b", RoleKeys.Paraplanner));
        var instance = engine.Start(template, new TemplateVersionId(1), Request(new LocalDate(2026, 12, 7)), Context()).Value.Instance;

        Assert.True(engine.Cancel(instance, "dan", "Client moved away").IsSuccess);

        Assert.All(instance.Tasks, t => Assert.Equal(WorkTaskStatus.Cancelled, t.Status));
        Assert.Equal(ErrorKind.Conflict, engine.Cancel(instance, "dan", "again").Error!.Kind);
    }

    [Fact]
    public void LongChainOfNotApplicableSteps_IsSkippedWithoutRecursion()
    {
        var never = new FactCondition("never", _ => false);
        var steps = Enumerable.Range(0, 5000)
            .Select(i => new StepDefinition($"s{i}", $"s{i}", "", RoleKeys.Paraplanner, 5, null, i == 0 ? [] : [$"s{i - 1}"], never, [], false))
            .Append(Step("final", RoleKeys.Paraplanner, null, "s4999"))
            .ToArray();

        var started = new ProcessEngine(_clock).Start(Template(steps), new TemplateVersionId(1), Request(new LocalDate(2026, 12, 7)), Context());

        Assert.Equal(["final"], started.Value.Activated.Select(t => t.StepKey));
        Assert.Equal(5000, started.Value.Instance.Tasks.Count(t => t.Status == WorkTaskStatus.Skipped));
    }
}
