using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.ServiceModel.Capacity;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.ServiceModel;

/// <summary>
/// The capacity loader on a small firm whose year is counted by hand. The scenario's team does all the
/// work: alice the paraplanner, carol the CSA, dan the wealth partner; erin is the firm-level principal.
/// </summary>
public sealed class CapacityPlannerTests
{
    private const int Year = 2027;

    private const string Review = """
        key: cap-review
        name: Review
        category: client-management
        description: The annual review.
        owner: wealth-partner
        anchors: [meeting]
        steps:
          - key: prepare
            title: Prepare the pack
            role: paraplanner
            minutes: 30
            due: 3 business days before meeting
          - key: hold-review
            title: Hold the review
            role: wealth-partner
            minutes: 90
            due: on meeting
            after: [prepare]
          - key: notes
            title: File the notes
            role: client-service-associate
            minutes: 15
            after: [hold-review]
        """;

    private const string Topic = """
        key: cap-topic
        name: Topic
        category: client-management
        description: A topic meeting.
        owner: wealth-partner
        anchors: [meeting]
        steps:
          - key: prepare
            title: Prepare the topic
            role: paraplanner
            minutes: 20
            due: 2 business days before meeting
          - key: hold-topic
            title: Talk it through
            role: wealth-partner
            minutes: 45
            due: on meeting
            after: [prepare]
        """;

    private const string QuarterlyReview = """
        key: cap-quarterly
        name: Quarterly Business Review
        category: practice-management
        scope: firm
        description: Looks at the quarter.
        owner: principal
        triggers:
          - every: quarterly
        steps:
          - key: review
            title: Review the quarter
            role: principal
            minutes: 120
        """;

    /// <summary>
    /// HH-1: tier A (stored), reviews in March. HH-2: tier B (stored), its year laid out as one 90-minute
    /// review on 14 April held by erin. HH-3: computed B, overridden to A by hand, reviews in November.
    /// HH-4: never tiered and no facts, so unsegmented. HH-5: a prospect, not planned. Tier A meets for a
    /// 60-minute review and a 30-minute topic meeting six months on, and is contacted 12 times a year.
    /// Alice is away 8–12 March 2027.
    /// </summary>
    private static async Task<PracticeScenario> FirmAsync(StorageProvider provider)
    {
        var s = await PracticeScenario.CreateAsync(provider, Templates.File(Review), Templates.File(Topic), Templates.File(QuarterlyReview));
        var today = new LocalDate(2026, 11, 24);
        var hh2 = await s.AddHouseholdAsync("HH-2", LifecycleStage.Client);
        var hh3 = await s.AddHouseholdAsync("HH-3", LifecycleStage.Client);
        await s.AddHouseholdAsync("HH-4", LifecycleStage.Client);
        await s.AddHouseholdAsync("HH-5", LifecycleStage.Prospect);
        s.Db.Actor = "admin";
        s.Db.Operation = "test-setup";

        var settings = ServiceSettings.Default with
        {
            Calendar = new Dictionary<ServiceTier, IReadOnlyList<TouchpointPlan>>
            {
                [ServiceTier.A] = [new(TouchpointKind.Review, 60, 0, "cap-review"), new(TouchpointKind.TopicMeeting, 30, 6, "cap-topic")],
                [ServiceTier.B] = [new(TouchpointKind.Review, 60, 0, "cap-review")],
                [ServiceTier.C] = [new(TouchpointKind.Review, 60, 0, "cap-review")],
            },
            ContactsPerYear = new Dictionary<ServiceTier, int> { [ServiceTier.A] = 12, [ServiceTier.B] = 0, [ServiceTier.C] = 0 },
        };
        Assert.True((await ServiceSettingsStore.SaveAsync(s.Db, settings)).IsSuccess);

        var households = await s.Db.Households.Where(h => h.Key == "HH-1" || h.Key == "HH-2" || h.Key == "HH-3").ToDictionaryAsync(h => h.Key);
        households["HH-1"].SetReviewMonth(3);
        households["HH-2"].SetReviewMonth(3);
        households["HH-3"].SetReviewMonth(11);
        s.Db.HouseholdTiers.Add(new HouseholdTier(s.Household, ServiceTier.A, [], today));
        s.Db.HouseholdTiers.Add(new HouseholdTier(hh2.Id, ServiceTier.B, [], today));
        var overridden = new HouseholdTier(hh3.Id, ServiceTier.B, [], today);
        overridden.SetOverride(TierOverride.Create(ServiceTier.A, "Family office relationship", null).Value, "admin");
        s.Db.HouseholdTiers.Add(overridden);
        s.Db.Touchpoints.Add(new Touchpoint(hh2.Id, Year, 1, TouchpointKind.Review, new LocalDateTime(2027, 4, 14, 10, 0), 90, s.Staff["erin"], null));
        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();

        var away = await new global::Ensemble.Storage.Practice.StaffDirectory(s.Db, s.Clock).MarkAwayAsync("alice", new LocalDate(2027, 3, 8), new LocalDate(2027, 3, 12), "Holiday", "admin");
        Assert.True(away.IsSuccess, away.Error?.Message);
        s.Db.ChangeTracker.Clear();
        return s;
    }

    private static double[] Needed(PersonLoad person) => person.Months.Select(m => m.Needed).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_MatchesAHandCount_OfTheFirmsYear(StorageProvider provider)
    {
        await using var s = await FirmAsync(provider);

        var result = await new CapacityPlanner(s.Db, s.Clock).PlanAsync(Year, new CapacityOptions());

        Assert.True(result.IsSuccess, result.Error?.Message);
        var plan = result.Value;
        PersonLoad Person(string handle) => plan.People.Single(p => p.Handle == handle);

        // HH-5 is a prospect: four client households.
        Assert.Equal(4, plan.Households);

        // Alice: reviews in March (HH-1), April (HH-2's stored review) and November (HH-3), 30 minutes
        // each; topic preparation in September (HH-1) and May (HH-3), 20 minutes each.
        Assert.Equal([0, 0, 0.5, 0.5, 0.33, 0, 0, 0, 0.33, 0, 0.5, 0], Needed(Person("alice")));
        Assert.Equal(2.17, Person("alice").Year.Needed);

        // Dan: two A households × 12 contacts × 15 minutes = 30 minutes a month, plus their 60-minute
        // reviews (March, November) and 30-minute topic meetings (September, May).
        Assert.Equal([0.5, 0.5, 1.5, 0.5, 1.0, 0.5, 0.5, 0.5, 1.0, 0.5, 1.5, 0.5], Needed(Person("dan")));

        // Erin: the quarterly review (2 h in January, April, July, October) and HH-2's stored 90-minute review.
        Assert.Equal([2, 0, 0, 3.5, 0, 0, 2, 0, 0, 2, 0, 0], Needed(Person("erin")));

        // Carol: 15 minutes after each review.
        Assert.Equal([0, 0, 0.25, 0.25, 0, 0, 0, 0, 0, 0, 0.25, 0], Needed(Person("carol")));
        Assert.Equal(0, Person("bob").Year.Needed);

        // March 2027 has 23 weekdays; Good Friday (26th) is a market holiday; alice is away five days.
        Assert.Equal(22, plan.BusinessDays[2]);
        Assert.Equal(17 * 6.0, Person("alice").Months[2].Available);
        Assert.Equal(22 * 6.0, Person("bob").Months[2].Available);

        var wealthPartner = plan.Roles.Single(r => r.Key == RoleKeys.WealthPartner);
        Assert.Equal(10.5, wealthPartner.Year.Needed);
        Assert.Equal(6.0, wealthPartner.Sources.Contact);
        Assert.True(wealthPartner.FewerThanThree);
        Assert.Equal(8.0, plan.Roles.Single(r => r.Key == RoleKeys.Principal).Sources.Periodic);
        Assert.False(plan.Roles.Single(r => r.Key == RoleKeys.Principal).FewerThanThree);
        Assert.Contains("1 household is unsegmented: no meetings or contact are planned for it.", plan.Notes);
        Assert.Contains("1 household is planned from the touchpoints laid out for 2027.", plan.Notes);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WhatIf_MovingTheOneBHouseholdToA_ReplacesItsStoredYearWithAsPlan(StorageProvider provider)
    {
        await using var s = await FirmAsync(provider);

        var result = await new CapacityPlanner(s.Db, s.Clock).WhatIfAsync(Year, new CapacityOptions(), new MoveClosest(1, ServiceTier.B, ServiceTier.A));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal([new HouseholdMove("HH-2", ServiceTier.B, ServiceTier.A)], result.Value.Moved);

        // Dan gains HH-2's March review (1 h), September topic meeting (0.5 h) and 12 contacts (3 h);
        // erin loses the stored 90-minute review.
        Assert.Equal(4.5, result.Value.People.Single(p => p.Handle == "dan").Year.Change);
        Assert.Equal(-1.5, result.Value.People.Single(p => p.Handle == "erin").Year.Change);
        Assert.Equal(3.0, result.Value.Roles.Single(r => r.Key == RoleKeys.WealthPartner).Year.Change);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AYearOutOfRange_IsRefused_NamingYear(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);

        var result = await new CapacityPlanner(s.Db, s.Clock).PlanAsync(1899, new CapacityOptions());

        Assert.StartsWith("year:", result.Error!.Message, StringComparison.Ordinal);
    }
}
