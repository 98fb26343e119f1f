using Ensemble.Processes.Running;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

public sealed class ProcessFlowTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Start_CreatesEntryTasks_DatedOnBusinessDaysAndRoutedToTheTeam(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var result = await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");

        Assert.True(result.IsSuccess, result.Error?.Message);
        var task = Assert.Single(await s.TasksAsync());
        Assert.Equal("gather", task.StepKey);
        Assert.Equal(s.Staff["carol"], task.AssigneeId);
        // Tuesday 24 Nov + 2 business days: Wednesday, then Friday (Thursday is Thanksgiving).
        Assert.Equal(new LocalDate(2026, 11, 27), task.DueOn);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Complete_ActivatesDependents_AndTheInstanceCompletesWhenAllStepsFinish(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();

        s.Clock.Advance(Duration.FromHours(1));
        var completed = await work.CompleteAsync(gather.Id, "carol");

        Assert.True(completed.IsSuccess, completed.Error?.Message);
        var open = (await s.TasksAsync()).Where(t => t.IsOpen).ToList();
        Assert.Equal(["analyse", "large-case"], open.Select(t => t.StepKey).Order());
        Assert.Equal(s.Staff["alice"], open.Single(t => t.StepKey == "analyse").AssigneeId);
        // One business day after gather was completed on Tuesday.
        Assert.Equal(new LocalDate(2026, 11, 25), open.Single(t => t.StepKey == "analyse").DueOn);

        foreach (var t in open)
        {
            Assert.True((await work.CompleteAsync(t.Id, "alice")).IsSuccess);
        }

        var report = (await s.TasksAsync()).Single(t => t.StepKey == "report");
        var last = await work.CompleteAsync(report.Id, "carol");
        Assert.True(last.Value.InstanceCompleted);
        Assert.Equal(InstanceStatus.Completed, (await s.Db.Instances.AsNoTracking().SingleAsync()).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ATransitionsOwnViewOfItsTasks_IsWhatTheWorkListsShowAfterwards(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();

        var work = new WorkService(s.Db, s.Clock);
        var completed = await work.CompleteAsync(gather.Id, "carol", "Statements are in.");
        Assert.True(completed.IsSuccess, completed.Error?.Message);

        // The answer to a transition is built without reading again: it must match a fresh read, field for field.
        var moved = new[] { completed.Value.Instance.Tasks.Single(t => t.Id == gather.Id) }.Concat(completed.Value.Activated).ToList();
        Assert.Equal(3, moved.Count);
        await using var other = s.OpenAnother();
        foreach (var task in moved)
        {
            Assert.Equal(await new TaskViews(other).FindAsync(task.Id), work.ViewOf(task));
        }

        Assert.Equal("The Okafor Household", work.ViewOf(moved[1]).HouseholdName);
        Assert.Equal("alice", work.ViewOf(moved.Single(t => t.StepKey == "analyse")).Assignee);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StepWhoseConditionFails_IsSkippedWithReason_AndReleasesItsDependents(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var small = await s.AddHouseholdAsync("HH-2", global::Ensemble.Households.LifecycleStage.Client);
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", small.Id, new Dictionary<string, LocalDate>(), "carol");
        await work.CompleteAsync((await s.TasksAsync()).Single().Id, "carol");

        var largeCase = (await s.TasksAsync()).Single(t => t.StepKey == "large-case");
        Assert.Equal(WorkTaskStatus.Skipped, largeCase.Status);
        Assert.Contains("investable_assets", largeCase.Note, StringComparison.Ordinal);

        var analyse = (await s.TasksAsync()).Single(t => t.StepKey == "analyse");
        await work.CompleteAsync(analyse.Id, "alice");
        Assert.Contains(await s.TasksAsync(), t => t.StepKey == "report" && t.IsOpen);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Skip_WithoutReason_IsRefused_AndRequiredStepsCannotBeSkipped(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();

        var required = await work.SkipAsync(gather.Id, "carol", "not needed");
        Assert.False(required.IsSuccess);
        Assert.Contains("required step", required.Error!.Message, StringComparison.Ordinal);

        await work.CompleteAsync(gather.Id, "carol");
        var largeCase = (await s.TasksAsync()).Single(t => t.StepKey == "large-case");
        Assert.False((await work.SkipAsync(largeCase.Id, "dan", "  ")).IsSuccess);
        var skipped = await work.SkipAsync(largeCase.Id, "dan", "Signed off in the last review");
        Assert.True(skipped.IsSuccess);
        Assert.Equal("Signed off in the last review", (await s.TasksAsync()).Single(t => t.StepKey == "large-case").Note);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnchorRules_DatePreparationBackFromTheMeeting(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var work = new WorkService(s.Db, s.Clock);

        var missing = await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate>(), "dan");
        Assert.False(missing.IsSuccess);
        Assert.Contains("meeting", missing.Error!.Message, StringComparison.Ordinal);

        // Meeting on Monday 7 December: 7 days before is Monday 30 November.
        await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 7) }, "dan");
        Assert.Equal(new LocalDate(2026, 11, 30), (await s.TasksAsync()).Single().DueOn);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CompletingAProcess_StartsItsFollowOnProcess_Once(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.Introduction), Templates.File(Templates.FactFinding));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("introduction", s.Household, new Dictionary<string, LocalDate>(), "dan");
        var call = (await s.TasksAsync()).Single();

        await work.CompleteAsync(call.Id, "dan");
        var again = await work.CompleteAsync(call.Id, "dan");

        Assert.False(again.IsSuccess);
        var instances = await s.Db.Instances.AsNoTracking().OrderBy(i => i.Id).ToListAsync();
        Assert.Equal(["introduction", "fact-finding"], instances.Select(i => i.TemplateKey));
        Assert.Equal(s.Staff["alice"], (await s.TasksAsync()).Single(t => t.StepKey == "collect").AssigneeId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FirmLevelWork_GoesToTheFirmLevelRoleHolder(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.QuarterlyReconciliation));
        var work = new WorkService(s.Db, s.Clock);

        var forHousehold = await work.StartAsync("quarterly-reconciliation", s.Household, new Dictionary<string, LocalDate>(), "erin");
        Assert.False(forHousehold.IsSuccess);

        var result = await work.StartAsync("quarterly-reconciliation", null, new Dictionary<string, LocalDate>(), "erin");
        Assert.True(result.IsSuccess, result.Error?.Message);
        var task = Assert.Single(await s.TasksAsync());
        Assert.Equal(s.Staff["erin"], task.AssigneeId);
        Assert.Null(task.HouseholdId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RunningInstances_KeepTheirTemplateVersion_WhenTheTemplateIsEdited(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 7) }, "dan");

        var edited = Templates.MeetingPrep.Replace("title: Hold the meeting", "title: Hold the review meeting", StringComparison.Ordinal);
        var library = new Library.TemplateLibrary(s.Db, s.Clock);
        var imported = await library.ImportTextsAsync([("meeting-prep.yaml", edited)], "erin");
        Assert.Equal(2, imported.Value.Single().Version);
        var unchanged = await library.ImportTextsAsync([("meeting-prep.yaml", edited)], "erin");
        Assert.False(unchanged.Value.Single().Changed);

        await work.CompleteAsync((await s.TasksAsync()).Single().Id, "alice");
        Assert.Equal("Hold the meeting", (await s.TasksAsync()).Single(t => t.StepKey == "meet").Title);

        await work.StartAsync("meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 14) }, "dan");
        var usage = await library.UsageAsync("meeting-prep");
        Assert.Equal([(1, 1), (2, 1)], usage.Select(u => (u.Version, u.Running)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ProcessesThatFinishAsTheyStart_EachStartTheirOwnFollowOn(StorageProvider provider)
    {
        var nothingToDo = Templates.Introduction.Replace("due: 2 business days after start", "due: 2 business days after start\n    when: \"investable_assets < 1\"", StringComparison.Ordinal);
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(nothingToDo), Templates.File(Templates.FactFinding));
        var work = new WorkService(s.Db, s.Clock);

        var first = await work.StartAsync("introduction", s.Household, new Dictionary<string, LocalDate>(), "dan");
        var second = await work.StartAsync("introduction", s.Household, new Dictionary<string, LocalDate>(), "dan");

        Assert.True(first.Value.InstanceCompleted && second.Value.InstanceCompleted);
        Assert.Equal(2, await s.Db.Instances.CountAsync(i => i.TemplateKey == "fact-finding"));
    }
}
