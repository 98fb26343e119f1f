using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Opportunities;

/// <summary>Opening, moving, revising and listing opportunities: where they start, the history kept, what closes them.</summary>
public sealed class PipelineTests
{
    private static OpportunityInput Rollover(string? close = "2027-02-01") =>
        new("rollover", "Roll over the old 401(k)", 250_000m, 2_500m, "wealth-partner", close);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Open_ForAClient_StartsAtIdentified_AndForAProspect_AtIntroduction(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var prospect = await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect);
        var pipeline = new Pipeline(s.Db, s.Clock);

        var client = await pipeline.OpenAsync(s.Household, Rollover(), "dan");
        var newcomer = await pipeline.OpenAsync(prospect.Id, Rollover() with { Kind = "new-assets", Title = "Bring the family's savings over" }, "dan");

        Assert.True(client.IsSuccess, client.Error?.Message);
        Assert.True(newcomer.IsSuccess, newcomer.Error?.Message);
        var stored = await s.Db.Opportunities.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
        Assert.Equal([OpportunityStage.Identified, OpportunityStage.Introduction], stored.Select(o => o.Stage));
        var first = stored[0];
        Assert.Equal((OpportunityKind.Rollover, "Roll over the old 401(k)", 250_000m, 2_500m, "wealth-partner", new LocalDate(2027, 2, 1), "dan"),
            (first.Kind, first.Title, first.EstimatedAssets!.Value.Amount, first.EstimatedRevenue!.Value.Amount, first.OwnerRole, first.ExpectedClose!.Value, first.OpenedBy));
        Assert.Equal(OpportunityKind.NewAssets, stored[1].Kind);
        Assert.Equal("open-opportunity", (await s.Db.AuditEvents.AsNoTracking().SingleAsync(e => e.EntityType == "Opportunity" && e.EntityId == first.Id.ToString())).Operation);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Open_WithBadInput_NamesEveryFieldAtFault_AndSavesNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var pipeline = new Pipeline(s.Db, s.Clock);
        var input = new OpportunityInput("annuity", "  ", -1m, 2_000_000_000_000m, "chief-rainmaker", "2020-01-01", 12345);

        var (draft, errors) = await pipeline.CheckAsync(s.Household, input);
        var opened = await pipeline.OpenAsync(s.Household, input, "dan");

        Assert.Null(draft);
        Assert.Equal(["estimatedAssets", "estimatedRevenue", "expectedClose", "kind", "ownerRole", "title", "touchpointId"], errors.Select(e => e.Field).Order());
        Assert.Contains("annuity", errors.Single(e => e.Field == "kind").Message, StringComparison.Ordinal);
        Assert.Contains("chief-rainmaker", errors.Single(e => e.Field == "ownerRole").Message, StringComparison.Ordinal);
        Assert.False(opened.IsSuccess);
        Assert.Equal(Common.ErrorKind.Invalid, opened.Error!.Kind);
        Assert.Empty(await s.Db.Opportunities.AsNoTracking().ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Move_KeepsTheHistoryAndTimeInEachStage_AndWonClosesIt(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var pipeline = new Pipeline(s.Db, s.Clock);
        var id = (await pipeline.OpenAsync(s.Household, Rollover(), "dan")).Value.Id;

        s.Clock.Advance(Duration.FromDays(3));
        Assert.True((await pipeline.MoveAsync(id, OpportunityStage.Proposal, "Proposal sent", "dan")).IsSuccess);
        s.Clock.Advance(Duration.FromDays(12));
        var won = await pipeline.MoveAsync(id, OpportunityStage.Won, "Transfer paperwork signed", "erin");
        s.Clock.Advance(Duration.FromDays(1));
        var after = await pipeline.MoveAsync(id, OpportunityStage.Proposal, null, "dan");

        Assert.True(won.IsSuccess, won.Error?.Message);
        Assert.Equal(Common.ErrorKind.Conflict, after.Error?.Kind);
        var view = (await pipeline.FindAsync(id))!;
        Assert.False(view.IsOpen);
        Assert.Equal(PracticeScenario.Start + Duration.FromDays(15), view.ClosedAt);
        Assert.Equal("Transfer paperwork signed", view.Note);
        Assert.Equal(2, view.Version);
        Assert.Equal(
            [(OpportunityStage.Identified, OpportunityStage.Proposal, "dan", Duration.FromDays(3)), (OpportunityStage.Proposal, OpportunityStage.Won, "erin", Duration.FromDays(12))],
            view.History!.Select(c => (c.From, c.To, c.By, c.TimeInFrom)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Move_ToTheStageItIsAt_OrFromAStaleRead_OrUnderAnotherHousehold_IsRefusedAndChangesNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var other = await s.AddHouseholdAsync("HH-2", LifecycleStage.Client);
        var pipeline = new Pipeline(s.Db, s.Clock);
        var id = (await pipeline.OpenAsync(s.Household, Rollover(), "dan")).Value.Id;
        Assert.True((await pipeline.MoveAsync(id, OpportunityStage.Proposal, null, "dan", expectedVersion: 0)).IsSuccess);

        var same = await pipeline.MoveAsync(id, OpportunityStage.Proposal, null, "dan");
        var stale = await pipeline.MoveAsync(id, OpportunityStage.Onboarding, null, "dan", s.Household, expectedVersion: 0);
        var foreign = await pipeline.MoveAsync(id, OpportunityStage.Onboarding, null, "dan", other.Id);

        Assert.Equal(Common.ErrorKind.Invalid, same.Error?.Kind);
        Assert.Equal(Common.ErrorKind.Conflict, stale.Error?.Kind);
        Assert.Equal(Common.ErrorKind.NotFound, foreign.Error?.Kind);
        var view = (await pipeline.FindAsync(id))!;
        Assert.Equal((OpportunityStage.Proposal, 1, 1), (view.Stage, view.Version, view.History!.Count));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Revise_ChangesWhatItIsWorth_ButNotOnceItIsClosed(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var pipeline = new Pipeline(s.Db, s.Clock);
        var id = (await pipeline.OpenAsync(s.Household, Rollover(), "dan")).Value.Id;

        var revised = await pipeline.ReviseAsync(id, new OpportunityInput("new-assets", "Consolidate both 401(k)s", 410_000m, 4_100m, "financial-advisor", null), "dan");
        await pipeline.MoveAsync(id, OpportunityStage.Lost, "Went elsewhere", "dan");
        var late = await pipeline.ReviseAsync(id, Rollover(), "dan");
        var invalid = await pipeline.ReviseAsync(id, Rollover() with { OwnerRole = "" }, "dan");

        Assert.True(revised.IsSuccess, revised.Error?.Message);
        Assert.Equal(Common.ErrorKind.Conflict, late.Error?.Kind);
        Assert.Equal(Common.ErrorKind.Invalid, invalid.Error?.Kind);
        var view = (await pipeline.FindAsync(id))!;
        Assert.Equal((OpportunityKind.NewAssets, "Consolidate both 401(k)s", 410_000m, 4_100m, "financial-advisor", (LocalDate?)null),
            (view.Kind, view.Title, view.EstimatedAssets, view.EstimatedRevenue, view.OwnerRole, view.ExpectedClose));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task List_FiltersByStageKindOwnerAndTheHouseholdsACallerMaySee(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var other = await s.AddHouseholdAsync("HH-2", LifecycleStage.Client);
        var pipeline = new Pipeline(s.Db, s.Clock);
        var rollover = (await pipeline.OpenAsync(s.Household, Rollover(), "dan")).Value.Id;
        var insurance = (await pipeline.OpenAsync(s.Household, new OpportunityInput("insurance", "Long-term care", null, 2_800m, "financial-advisor", "2026-12-15"), "dan")).Value.Id;
        var elsewhere = (await pipeline.OpenAsync(other.Id, new OpportunityInput("planning", "Estate plan", null, 4_000m, "wealth-partner", null), "dan")).Value.Id;
        var lost = (await pipeline.OpenAsync(other.Id, Rollover(), "dan")).Value.Id;
        await pipeline.MoveAsync(insurance, OpportunityStage.Proposal, null, "dan");
        await pipeline.MoveAsync(lost, OpportunityStage.Lost, null, "dan");

        async Task<long[]> Ids(PipelineQuery query, IReadOnlyCollection<long>? within = null) =>
            (await pipeline.ListAsync(query, withinHouseholds: within)).Select(v => v.Id).ToArray();

        // Open ones by stage, then soonest expected close (undated last).
        Assert.Equal([rollover.Value, elsewhere.Value, insurance.Value], await Ids(new PipelineQuery()));
        Assert.Equal([rollover.Value, elsewhere.Value, insurance.Value, lost.Value], await Ids(new PipelineQuery(IncludeClosed: true)));
        Assert.Equal([insurance.Value], await Ids(new PipelineQuery(Stage: OpportunityStage.Proposal)));
        Assert.Equal([lost.Value], await Ids(new PipelineQuery(Stage: OpportunityStage.Lost)));
        Assert.Equal([elsewhere.Value], await Ids(new PipelineQuery(Kind: OpportunityKind.Planning)));
        Assert.Equal([insurance.Value], await Ids(new PipelineQuery(OwnerRole: "Financial Advisor")));
        Assert.Equal([rollover.Value, insurance.Value], await Ids(new PipelineQuery(IncludeClosed: true), [s.Household.Value]));
        Assert.Empty(await Ids(new PipelineQuery(), []));

        var totals = await pipeline.TotalsAsync(new PipelineQuery(), [s.Household.Value]);
        Assert.Equal((1, 250_000m, 2_500m), totals.Where(t => t.Stage == OpportunityStage.Identified).Select(t => (t.Count, t.EstimatedAssets, t.EstimatedRevenue)).Single());
        Assert.Equal((1, 0m, 2_800m), totals.Where(t => t.Stage == OpportunityStage.Proposal).Select(t => (t.Count, t.EstimatedAssets, t.EstimatedRevenue)).Single());
    }
}
