using Ensemble.Processes.Running;
using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Library;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Consolidation;

public sealed class EnrichmentTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StaleFacts_RaiseOneRefreshForTheParaplanner_AndFreshnessCountsThem(StorageProvider provider)
    {
        var template = BuiltInLibrary.Texts().Single(t => t.Name.EndsWith("/fact-refresh.yaml", StringComparison.Ordinal));
        await using var firm = await FirmBuilder.CreateAsync(provider, 2, template);
        await SourceFiles.RegisterAsync(firm);
        await SourceFiles.ImportAsync(firm, "planning", "planning.csv", """
            household,income,tax.bracket,client.birth_date,verified_at
            HH-00001,180000,24,1970-01-01,2025-01-15
            HH-00002,95000,22,1980-01-01,2026-11-01
            """);
        var enrichment = new Enrichment(firm.Db, firm.Clock);

        var freshness = await enrichment.FreshnessAsync();
        var first = await enrichment.RaiseWorkAsync("erin");
        var again = await enrichment.RaiseWorkAsync("erin");

        Assert.Equal((6L, 2L, 2, 1), (freshness.Known, freshness.Stale, freshness.Households, freshness.HouseholdsWithStaleFacts));
        Assert.Equal(4d / 6, freshness.Score!.Value, 6);
        Assert.Equal((1, 0), (first.HouseholdsWithStaleFacts, first.AlreadyOpen));
        Assert.Equal(1, first.Started);
        Assert.Equal((0, 1), (again.Started, again.AlreadyOpen));
        var refresh = await firm.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync(i => i.TemplateKey == Enrichment.Template);
        Assert.Equal(firm.Households[0], refresh.HouseholdId);
        var task = Assert.Single(refresh.Tasks, t => t.Status == WorkTaskStatus.Open);
        Assert.Equal(firm.Staff["alice"], task.AssigneeId);

        // Once per day the sheets are rebuilt as of the day, and no second refresh starts while one is open.
        var daily = await enrichment.DailyAsync("ensemble");
        Assert.Equal((2, 0), (daily!.SheetsRebuilt, daily.Work.Started));
        Assert.Null(await enrichment.DailyAsync("ensemble"));
    }
}
