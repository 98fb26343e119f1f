using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Processes.Running;
using Ensemble.Storage.Library;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Opportunities;

/// <summary>
/// The reconciler that keeps prospects' opportunities in step with the library's sales and onboarding processes,
/// run the way the sweep runs it: often, and again and again.
/// </summary>
public sealed class PipelineSyncTests
{
    /// <summary>The built-in sales phases and onboarding, which chain into one another.</summary>
    private static readonly (string Name, string Yaml)[] SalesAndOnboarding = BuiltInLibrary.Texts()
        .Where(t => t.Name.StartsWith("library/sales/", StringComparison.Ordinal) || t.Name.StartsWith("library/onboarding/", StringComparison.Ordinal))
        .ToArray();

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AProspectMovesThroughThePhasesToWon_AndBecomesAClient_EachRunAfterAChangeDoingItOnce(StorageProvider provider)
    {
        Assert.Equal(5, SalesAndOnboarding.Length);
        await using var s = await PracticeScenario.CreateAsync(provider, SalesAndOnboarding);
        var prospect = await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect);
        var work = new WorkService(s.Db, s.Clock);
        var sync = new PipelineSync(s.Db, s.Clock);

        Assert.Equal(PipelineSyncReport.Nothing, await sync.RunAsync());
        var introductionStarted = s.Clock.GetCurrentInstant();
        Assert.True((await work.StartAsync("sales-introduction", prospect.Id, new Dictionary<string, LocalDate>(), "dan")).IsSuccess);

        Assert.Equal(new PipelineSyncReport(1, 0, 0, 0), await sync.RunAsync());
        var opened = await TheOpportunityAsync(s, prospect.Id);
        Assert.Equal((OpportunityStage.Introduction, OpportunityKind.NewAssets, "wealth-partner", introductionStarted, "ensemble"),
            (opened.Stage, opened.Kind, opened.OwnerRole, opened.OpenedAt, opened.OpenedBy));
        await AssertIdempotentAsync(s, sync);

        var expected = new List<(OpportunityStage From, OpportunityStage To)>();
        foreach (var (finished, next) in new[]
        {
            ("sales-introduction", OpportunityStage.FactFinding),
            ("fact-finding-meeting", OpportunityStage.Proposal),
            ("proposal-meeting", OpportunityStage.Onboarding),
        })
        {
            var stage = (await TheOpportunityAsync(s, prospect.Id)).Stage;
            await FinishAsync(s, work, prospect.Id, finished);
            Assert.Equal(new PipelineSyncReport(0, 1, 0, 0), await sync.RunAsync());
            Assert.Equal(next, (await TheOpportunityAsync(s, prospect.Id)).Stage);
            expected.Add((stage, next));
            await AssertIdempotentAsync(s, sync);
        }

        // Asset Management Execution starts while the opportunity is already at Onboarding: nothing to move.
        await FinishAsync(s, work, prospect.Id, "wealth-management-meeting");
        Assert.Equal(PipelineSyncReport.Nothing, await sync.RunAsync());

        await FinishAsync(s, work, prospect.Id, PipelineSync.ClosingProcess);
        var closedAt = (await s.Db.Instances.AsNoTracking().SingleAsync(i => i.TemplateKey == PipelineSync.ClosingProcess)).EndedAt;
        Assert.Equal(new PipelineSyncReport(0, 0, 1, 1), await sync.RunAsync());
        expected.Add((OpportunityStage.Onboarding, OpportunityStage.Won));
        await AssertIdempotentAsync(s, sync);

        var won = await TheOpportunityAsync(s, prospect.Id);
        Assert.Equal((OpportunityStage.Won, closedAt), (won.Stage, won.ClosedAt));
        Assert.Equal(expected, won.History.OrderBy(c => c.At).Select(c => (c.From, c.To)));
        Assert.All(won.History, c => Assert.Equal("ensemble", c.By));
        Assert.All(won.History, c => Assert.True(c.TimeInPreviousStage > Duration.Zero, $"{c.From} lasted {c.TimeInPreviousStage}"));

        Assert.Equal(LifecycleStage.Client, (await s.Db.Households.AsNoTracking().SingleAsync(h => h.Id == prospect.Id)).Stage);
        var became = await s.Db.AuditEvents.AsNoTracking()
            .SingleAsync(e => e.EntityType == "Household" && e.HouseholdId == prospect.Id.Value && e.Operation == "prospect-became-client");
        Assert.Equal("ensemble", became.Actor);
        Assert.Contains("\"Stage\":\"Client\"", became.After, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnOpportunityAlreadyOpenForTheProspect_IsAdoptedRatherThanDuplicated(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, SalesAndOnboarding);
        var prospect = await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect);
        var opened = await new Pipeline(s.Db, s.Clock).OpenAsync(prospect.Id, new OpportunityInput("rollover", "Two old 401(k)s", 380_000m, 3_800m, "financial-advisor", null), "dan");
        var work = new WorkService(s.Db, s.Clock);
        s.Clock.Advance(Duration.FromDays(2));
        await work.StartAsync("sales-introduction", prospect.Id, new Dictionary<string, LocalDate>(), "dan");
        await FinishAsync(s, work, prospect.Id, "sales-introduction");

        var report = await new PipelineSync(s.Db, s.Clock).RunAsync();

        Assert.Equal(new PipelineSyncReport(0, 1, 0, 0), report);
        var only = await TheOpportunityAsync(s, prospect.Id);
        Assert.Equal((opened.Value.Id, "Two old 401(k)s", OpportunityStage.FactFinding), (only.Id, only.Title, only.Stage));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ALostOpportunity_IsLeftAlone_AndNoNewOneIsOpened(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, SalesAndOnboarding);
        var prospect = await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect);
        var work = new WorkService(s.Db, s.Clock);
        var sync = new PipelineSync(s.Db, s.Clock);
        await work.StartAsync("sales-introduction", prospect.Id, new Dictionary<string, LocalDate>(), "dan");
        await sync.RunAsync();
        var id = (await TheOpportunityAsync(s, prospect.Id)).Id;
        Assert.True((await new Pipeline(s.Db, s.Clock).MoveAsync(id, OpportunityStage.Lost, "Chose another firm", "dan")).IsSuccess);

        await FinishAsync(s, work, prospect.Id, "sales-introduction");
        var report = await sync.RunAsync();

        Assert.Equal(PipelineSyncReport.Nothing, report);
        var only = await TheOpportunityAsync(s, prospect.Id);
        Assert.Equal((id, OpportunityStage.Lost, "Chose another firm"), (only.Id, only.Stage, only.Note));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ClientsAndCancelledSalesProcesses_AreNotPipelineBusiness(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, SalesAndOnboarding);
        var prospect = await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect);
        var work = new WorkService(s.Db, s.Clock);
        await work.StartAsync("sales-introduction", s.Household, new Dictionary<string, LocalDate>(), "dan");
        var turnedAway = await work.StartAsync("sales-introduction", prospect.Id, new Dictionary<string, LocalDate>(), "dan");
        await work.CancelAsync(turnedAway.Value.Instance.Id, "dan", "Not a fit for the firm");

        var report = await new PipelineSync(s.Db, s.Clock).RunAsync();

        Assert.Equal(PipelineSyncReport.Nothing, report);
        Assert.Empty(await s.Db.Opportunities.AsNoTracking().ToListAsync());
    }

    /// <summary>A second run with nothing new changes nothing and writes nothing.</summary>
    private static async Task AssertIdempotentAsync(PracticeScenario s, PipelineSync sync)
    {
        var audited = await s.Db.AuditEvents.CountAsync();
        Assert.Equal(PipelineSyncReport.Nothing, await sync.RunAsync());
        Assert.Equal(audited, await s.Db.AuditEvents.CountAsync());
    }

    private static async Task<Opportunity> TheOpportunityAsync(PracticeScenario s, HouseholdId household) =>
        await s.Db.Opportunities.AsNoTracking().Include(o => o.History).SingleAsync(o => o.HouseholdId == household);

    /// <summary>Completes every step of the household's process (a day apart per round) until the process is complete.</summary>
    private static async Task FinishAsync(PracticeScenario s, WorkService work, HouseholdId household, string template)
    {
        for (var round = 0; round < 40; round++)
        {
            s.Clock.Advance(Duration.FromDays(1));
            var instance = await s.Db.Instances.AsNoTracking().SingleAsync(i => i.HouseholdId == household && i.TemplateKey == template);
            if (instance.Status == InstanceStatus.Completed)
            {
                return;
            }

            var open = await s.Db.Tasks.AsNoTracking()
                .Where(t => t.InstanceId == instance.Id && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))
                .Select(t => t.Id)
                .ToListAsync();
            foreach (var task in open)
            {
                var done = await work.CompleteAsync(task, "dan");
                Assert.True(done.IsSuccess, done.Error?.Message);
            }
        }

        Assert.Fail($"{template} did not complete.");
    }
}
