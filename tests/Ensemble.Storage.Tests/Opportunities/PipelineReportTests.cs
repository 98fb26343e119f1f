using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Tests.Testing;
using NodaTime;

namespace Ensemble.Storage.Tests.Opportunities;

/// <summary>The pipeline report on a small, known book of opportunities, every figure worked out by hand.</summary>
public sealed class PipelineReportTests
{
    private static readonly LocalDate From = new(2026, 1, 1);
    private static readonly LocalDate To = new(2026, 11, 24);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Report_GivesValueByStage_ConversionBetweenStages_AndTimeInStage(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        await SeedAsync(s);

        var report = await new PipelineReports(s.Db).BuildAsync(From, To);

        // Open stages as they stand; Won and Lost as closed in the period (F was opened before it but won in it).
        Assert.Equal(
            [
                (OpportunityStage.Identified, 1, 0m, 4_000m), (OpportunityStage.Introduction, 0, 0m, 0m), (OpportunityStage.FactFinding, 1, 300_000m, 3_000m),
                (OpportunityStage.Proposal, 0, 0m, 0m), (OpportunityStage.Onboarding, 0, 0m, 0m), (OpportunityStage.Won, 3, 800_000m, 8_000m),
                (OpportunityStage.Lost, 1, 0m, 2_000m),
            ],
            report.Value.Select(r => (r.Stage, r.Count, r.EstimatedAssets, r.EstimatedRevenue)));

        // The opportunities opened in the period (A–E): how many were ever at each stage, went further, were won.
        Assert.Equal(
            [
                (OpportunityStage.Identified, OpportunityStage.Introduction, 3, 2, 1), (OpportunityStage.Introduction, OpportunityStage.FactFinding, 2, 2, 1),
                (OpportunityStage.FactFinding, OpportunityStage.Proposal, 2, 1, 1), (OpportunityStage.Proposal, OpportunityStage.Onboarding, 3, 2, 2),
                (OpportunityStage.Onboarding, OpportunityStage.Won, 1, 1, 1),
            ],
            report.Conversion.Select(r => (r.From, r.To, r.Reached, r.Advanced, r.Won)));
        Assert.Equal(0.6667, report.Conversion[0].AdvancedShare);
        Assert.Equal(0.3333, report.Conversion[0].WonShare);

        // Stays that ended in the period, nearest-rank percentiles: Proposal holds 10, 10, 20 and F's 235 days.
        Assert.Equal(
            [
                (OpportunityStage.Identified, 2, 4d, 10d), (OpportunityStage.Introduction, 2, 2d, 7d), (OpportunityStage.FactFinding, 1, 14d, 14d),
                (OpportunityStage.Proposal, 4, 10d, 235d), (OpportunityStage.Onboarding, 1, 30d, 30d),
            ],
            report.TimeInStage.Select(r => (r.Stage, r.Count, r.MedianDays!.Value, r.P90Days!.Value)));

        using var csv = new StringWriter();
        PipelineCsv.Write(csv, report);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(8, lines.Length);
        Assert.Equal("proposal,0,0,0,3,onboarding,2,0.6667,2,0.6667,4,10.0,235.0", lines[4]);
        Assert.Equal("won,3,800000,8000,,,,,,,,,", lines[6]);
        Assert.Equal("pipeline-2026-01-01-to-2026-11-24.csv", PipelineCsv.FileName(report));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Report_NarrowedToHouseholds_CountsOnlyTheirOpportunities(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var prospect = await SeedAsync(s);

        var report = await new PipelineReports(s.Db).BuildAsync(From, To, [prospect.Value]);

        Assert.Equal(2, report.Value.Sum(r => r.Count));
        Assert.Equal([0, 2, 2, 1, 1], report.Conversion.Select(r => r.Reached));
    }

    /// <summary>
    /// A: client rollover, Identified 1 Mar → Proposal +10 d → Won +20 d. B: client insurance, Identified 1 Apr → Proposal +4 d → Lost +10 d.
    /// C: prospect, Introduction 1 May → Fact finding +7 d → Proposal +14 d → Onboarding +10 d → Won +30 d. D: prospect, Introduction 1 Jun →
    /// Fact finding +2 d, still there. E: client planning, Identified 1 Oct, still there. F: opened 1 Jun 2025 → Proposal 11 Jun 2025 → Won 1 Feb 2026.
    /// </summary>
    private static async Task<HouseholdId> SeedAsync(PracticeScenario s)
    {
        var prospect = (await s.AddHouseholdAsync("HH-P", LifecycleStage.Prospect)).Id;
        static Instant On(int year, int month, int day) => Instant.FromUtc(year, month, day, 15, 0);
        Opportunity Make(HouseholdId household, OpportunityKind kind, decimal? assets, decimal revenue, OpportunityStage start, Instant opened, params (OpportunityStage Stage, Instant At)[] moves)
        {
            var o = new Opportunity(household, kind, $"{kind} {opened}", assets is { } a ? new Money(a) : null, new Money(revenue), start, "wealth-partner", null, opened, "dan", null);
            foreach (var (stage, at) in moves)
            {
                Assert.True(o.MoveTo(stage, at, "dan", null).IsSuccess);
            }

            return o;
        }

        s.Db.Actor = "test";
        s.Db.Operation = "test-setup";
        s.Db.Opportunities.AddRange(
            Make(s.Household, OpportunityKind.Rollover, 100_000m, 1_000m, OpportunityStage.Identified, On(2026, 3, 1),
                (OpportunityStage.Proposal, On(2026, 3, 11)), (OpportunityStage.Won, On(2026, 3, 31))),
            Make(s.Household, OpportunityKind.Insurance, null, 2_000m, OpportunityStage.Identified, On(2026, 4, 1),
                (OpportunityStage.Proposal, On(2026, 4, 5)), (OpportunityStage.Lost, On(2026, 4, 15))),
            Make(prospect, OpportunityKind.NewAssets, 500_000m, 5_000m, OpportunityStage.Introduction, On(2026, 5, 1),
                (OpportunityStage.FactFinding, On(2026, 5, 8)), (OpportunityStage.Proposal, On(2026, 5, 22)), (OpportunityStage.Onboarding, On(2026, 6, 1)),
                (OpportunityStage.Won, On(2026, 7, 1))),
            Make(prospect, OpportunityKind.NewAssets, 300_000m, 3_000m, OpportunityStage.Introduction, On(2026, 6, 1),
                (OpportunityStage.FactFinding, On(2026, 6, 3))),
            Make(s.Household, OpportunityKind.Planning, null, 4_000m, OpportunityStage.Identified, On(2026, 10, 1)),
            Make(s.Household, OpportunityKind.NewAssets, 200_000m, 2_000m, OpportunityStage.Identified, On(2025, 6, 1),
                (OpportunityStage.Proposal, On(2025, 6, 11)), (OpportunityStage.Won, On(2026, 2, 1))));
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        return prospect;
    }
}
