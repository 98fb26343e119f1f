using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

public sealed class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoPeopleCompletingTheSameTask_OneWins_TheOtherGetsAClearConflict(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        var gather = (await s.TasksAsync()).Single();

        await using var first = s.OpenAnother();
        await using var second = s.OpenAnother();
        var results = await Task.WhenAll(
            new WorkService(first, s.Clock).CompleteAsync(gather.Id, "carol"),
            new WorkService(second, s.Clock).CompleteAsync(gather.Id, "bob"));

        Assert.Single(results, r => r.IsSuccess);
        var loser = Assert.Single(results, r => !r.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, loser.Error!.Kind);
        Assert.Contains("already completed", loser.Error.Message, StringComparison.Ordinal);

        var tasks = await s.TasksAsync();
        Assert.Equal(2, tasks.Count(t => t.IsOpen));
        Assert.Single(tasks, t => t.StepKey == "analyse");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ParallelBranchesCompletedAtOnce_StillActivateTheJoinStepExactlyOnce(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        await work.CompleteAsync((await s.TasksAsync()).Single().Id, "carol");
        var branches = (await s.TasksAsync()).Where(t => t.IsOpen).ToList();

        await using var first = s.OpenAnother();
        await using var second = s.OpenAnother();
        var results = await Task.WhenAll(
            new WorkService(first, s.Clock).CompleteAsync(branches[0].Id, "alice"),
            new WorkService(second, s.Clock).CompleteAsync(branches[1].Id, "dan"));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(await s.TasksAsync(), t => t.StepKey == "report" && t.Status == WorkTaskStatus.Open);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sweep_RunTwiceOrConcurrently_StartsEachPeriodicOccurrenceOnce_AndFlagsOverdueOnce(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.QuarterlyReconciliation), Templates.File(Templates.AccountReview));
        await new WorkService(s.Db, s.Clock).StartAsync("account-review", s.Household, new Dictionary<string, LocalDate>(), "carol");
        s.Clock.Advance(Duration.FromDays(7));

        await using var first = s.OpenAnother();
        await using var second = s.OpenAnother();
        var reports = await Task.WhenAll(new Sweep(first, s.Clock).RunAsync(), new Sweep(second, s.Clock).RunAsync());
        var third = await new Sweep(s.Db, s.Clock).RunAsync();

        Assert.Equal(1, reports.Sum(r => r.ProcessesStarted));
        Assert.Equal(1, reports.Sum(r => r.MarkedOverdue));
        Assert.Equal(0, third.ProcessesStarted + third.MarkedOverdue);
        Assert.Equal(1, await s.Db.Instances.CountAsync(i => i.TemplateKey == "quarterly-reconciliation"));
        var overdue = (await s.TasksAsync()).Single(t => t.StepKey == "gather");
        Assert.Equal(new LocalDate(2026, 12, 1), overdue.OverdueSince);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PeriodicWorkForAllClients_StartsOncePerClientPerPeriod_AndSkipsWhileThePreviousIsOpen(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MonthlyCheckIn));
        await s.AddHouseholdAsync("HH-2", global::Ensemble.Households.LifecycleStage.Client);
        await s.AddHouseholdAsync("HH-3", global::Ensemble.Households.LifecycleStage.Prospect);

        var first = await new Sweep(s.Db, s.Clock).RunAsync();
        var again = await new Sweep(s.Db, s.Clock).RunAsync();

        Assert.Equal(2, first.ProcessesStarted);
        Assert.Equal(0, again.ProcessesStarted);
        var calls = await s.TasksAsync();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, t => Assert.Equal(s.Staff["dan"], t.AssigneeId));

        // December's occurrence arrives while November's calls are still open: skipped, not doubled.
        s.Clock.Advance(Duration.FromDays(8));
        var december = await new Sweep(s.Db, s.Clock).RunAsync();
        Assert.Equal(0, december.ProcessesStarted);
        Assert.Equal(2, december.OccurrencesSkipped);
        Assert.Equal(2, await s.Db.Instances.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoNodesStartingTheDailyTierRecomputeAtOnce_OnlyOneRecomputes_AndEveryHouseholdHasOneTier(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));

        await using var first = s.OpenAnother();
        await using var second = s.OpenAnother();
        var reports = await Task.WhenAll(
            new global::Ensemble.Storage.ServiceModel.TierBook(first, s.Clock).RecomputeDailyAsync("node-a"),
            new global::Ensemble.Storage.ServiceModel.TierBook(second, s.Clock).RecomputeDailyAsync("node-b"));

        Assert.Single(reports, r => r is not null);
        var households = await s.Db.Households.CountAsync();
        Assert.Equal(households, await s.Db.HouseholdTiers.CountAsync());
        await using var later = s.OpenAnother();
        Assert.Null(await new global::Ensemble.Storage.ServiceModel.TierBook(later, s.Clock).RecomputeDailyAsync("node-a"));
    }
}
