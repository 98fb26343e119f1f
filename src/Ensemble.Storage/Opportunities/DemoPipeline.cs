using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Practice;
using Ensemble.Storage.Work;
using NodaTime;

namespace Ensemble.Storage.Opportunities;

/// <summary>
/// The demo firm's pipeline: the prospects already in the sales process get their opportunities from the
/// reconciler, and a year of client business is laid down with its history, open, won and lost, so the board
/// and the report have something to say from the first sign-in.
/// </summary>
internal static class DemoPipeline
{
    /// <summary>One piece of business: what it is, its moves as (stage, days ago), and the note left with the last move.</summary>
    private sealed record Story(
        OpportunityKind Kind, string Title, decimal? Assets, decimal Revenue, string Owner, int OpenedDaysAgo,
        (OpportunityStage Stage, int DaysAgo)[] Moves, int? CloseInDays = null, string? Note = null);

    private static readonly Story[] Clients =
    [
        new(OpportunityKind.Rollover, "Roll over the 401(k) from the previous employer", 340_000m, 3_400m, RoleKeys.FinancialAdvisor, 21,
            [(OpportunityStage.Proposal, 9)], 25, "Plan administrator's transfer form sent for signature."),
        new(OpportunityKind.Insurance, "Long-term care cover for both spouses", null, 2_800m, RoleKeys.WealthPartner, 48,
            [(OpportunityStage.Proposal, 30)], 14, "Two carriers quoted; underwriting questions outstanding."),
        new(OpportunityKind.Planning, "Refresh the estate plan with the family's attorney", null, 4_500m, RoleKeys.WealthPartner, 12, [], 60),
        new(OpportunityKind.NewAssets, "Proceeds from the sale of the family business", 1_450_000m, 14_500m, RoleKeys.WealthPartner, 27, [], 120),
        new(OpportunityKind.Planning, "College savings for the grandchildren", 90_000m, 900m, RoleKeys.FinancialAdvisor, 35,
            [(OpportunityStage.Proposal, 20), (OpportunityStage.Onboarding, 6)], 10),
        new(OpportunityKind.NewAssets, "Consolidate the brokerage account held at another firm", 520_000m, 5_200m, RoleKeys.WealthPartner, 130,
            [(OpportunityStage.Proposal, 110), (OpportunityStage.Onboarding, 95), (OpportunityStage.Won, 80)]),
        new(OpportunityKind.NewAssets, "Inheritance from a parent's estate", 780_000m, 7_800m, RoleKeys.WealthPartner, 95,
            [(OpportunityStage.Proposal, 70), (OpportunityStage.Lost, 40)], null, "Chose to leave it with the estate's bank for now."),
        new(OpportunityKind.Rollover, "Spouse's 403(b) at retirement", 265_000m, 2_650m, RoleKeys.FinancialAdvisor, 200,
            [(OpportunityStage.Proposal, 185), (OpportunityStage.Onboarding, 170), (OpportunityStage.Won, 150)]),
        new(OpportunityKind.Insurance, "Term life to cover the new mortgage", null, 1_200m, RoleKeys.FinancialAdvisor, 60,
            [(OpportunityStage.Proposal, 45), (OpportunityStage.Won, 30)]),
        new(OpportunityKind.Planning, "Retirement income plan ahead of next year's retirement", null, 3_500m, RoleKeys.WealthPartner, 160,
            [(OpportunityStage.Proposal, 140), (OpportunityStage.Lost, 120)], null, "Decided to wait a year."),
        new(OpportunityKind.Insurance, "Disability cover for the self-employed spouse", null, 1_600m, RoleKeys.WealthPartner, 75,
            [(OpportunityStage.Proposal, 62), (OpportunityStage.Onboarding, 50), (OpportunityStage.Won, 41)]),
        new(OpportunityKind.NewAssets, "New client relationship", 900_000m, 9_000m, RoleKeys.WealthPartner, 300,
            [(OpportunityStage.FactFinding, 286), (OpportunityStage.Proposal, 262), (OpportunityStage.Onboarding, 241), (OpportunityStage.Won, 200)]),
        new(OpportunityKind.NewAssets, "New client relationship", 610_000m, 6_100m, RoleKeys.WealthPartner, 240,
            [(OpportunityStage.FactFinding, 230), (OpportunityStage.Proposal, 205), (OpportunityStage.Onboarding, 190), (OpportunityStage.Won, 160)]),
    ];

    /// <summary>Prospects that came in, talked, and went elsewhere.</summary>
    private static readonly Story[] Prospects =
    [
        new(OpportunityKind.NewAssets, "New client relationship", 420_000m, 4_200m, RoleKeys.WealthPartner, 150,
            [(OpportunityStage.FactFinding, 139), (OpportunityStage.Lost, 120)], null, "Went with a robo-advisor for now."),
        new(OpportunityKind.NewAssets, "New client relationship", 120_000m, 1_200m, RoleKeys.WealthPartner, 90,
            [(OpportunityStage.Lost, 85)], null, "Below the firm's minimum; referred to a planner who fits better."),
    ];

    private static readonly string[] Advisors = ["elena", "david", "priya"];

    public static async Task AddAsync(EnsembleDb db, IClock clock, IReadOnlyList<Household> households, CancellationToken cancellationToken)
    {
        // The prospects already in the sales process: their opportunities follow their processes.
        await new PipelineSync(db, clock).RunAsync("demo", cancellationToken);

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var now = clock.GetCurrentInstant();
        var clients = households.Where(h => h.Stage == LifecycleStage.Client).ToList();

        // Prospects the sales process has not touched (the demo starts it for the first sixteen).
        var quiet = households.Where(h => h.Stage == LifecycleStage.Prospect).Skip(16).ToList();

        db.ChangeTracker.Clear();
        db.Actor = "demo";
        db.Operation = "demo-opportunities";
        var index = 0;
        foreach (var (story, household) in Clients.Select((s, i) => (s, clients.Count == 0 ? null : clients[((i * 7) + 5) % clients.Count]))
                     .Concat(Prospects.Select((s, i) => (s, i < quiet.Count ? quiet[i] : null))))
        {
            if (household is null)
            {
                continue;
            }

            var advisor = Advisors[index++ % Advisors.Length];
            var opened = now - Duration.FromDays(story.OpenedDaysAgo) - Duration.FromHours(index % 5);
            var start = household.Stage == LifecycleStage.Prospect || story.Title == "New client relationship" ? OpportunityStage.Introduction : OpportunityStage.Identified;
            var closes = story.CloseInDays is { } days
                ? today.PlusDays(days)
                : story.Moves.Length > 0 && story.Moves[^1].Stage is OpportunityStage.Won or OpportunityStage.Lost
                    ? (now - Duration.FromDays(story.Moves[^1].DaysAgo)).InZone(firm.Zone).Date
                    : (LocalDate?)null;
            var opportunity = new Opportunity(
                household.Id, story.Kind, story.Title, story.Assets is { } a ? new Money(a) : null, new Money(story.Revenue),
                start, story.Owner, closes, opened, advisor, null);
            foreach (var (stage, daysAgo) in story.Moves)
            {
                // The note is the owner's latest word, left with the last move.
                opportunity.MoveTo(stage, now - Duration.FromDays(daysAgo), advisor, stage == story.Moves[^1].Stage ? story.Note : null);
            }

            db.Opportunities.Add(opportunity);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
