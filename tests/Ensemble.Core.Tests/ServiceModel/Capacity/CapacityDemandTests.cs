using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using NodaTime;
using static Ensemble.Tests.ServiceModel.Capacity.CapacityFirm;

namespace Ensemble.Tests.ServiceModel.Capacity;

/// <summary>Where the hours come from: the tiers' meetings and their steps, stored touchpoints, periodic processes and contact.</summary>
public sealed class CapacityDemandTests
{
    /// <summary>H1 (A, review March), H2 (B, review March), H3 (A, review November).</summary>
    private static readonly CapacityHousehold[] ThreeHouseholds =
    [
        Household(1, ServiceTier.A, 3),
        Household(2, ServiceTier.B, 3),
        Household(3, ServiceTier.A, 11),
    ];

    [Fact]
    public void TierMeetings_FallInTheReviewMonthAndMonthsAfter_WithEachStepsMinutesForItsRole()
    {
        var plan = Plan(Input(ThreeHouseholds));

        // Paraplanner: two reviews in March (30 + 30), H3's review in November (30), topic prep 20 min for
        // H1 in September (3 + 6) and for H3 in May (11 + 6 wraps to 5).
        var pat = plan.Person(Pat);
        Assert.Equal(1.0, pat.In(3));
        Assert.Equal(0.33, pat.In(9));
        Assert.Equal(0.33, pat.In(5));
        Assert.Equal(0.5, pat.In(11));
        Assert.Equal(0, pat.In(1));
        Assert.Equal(2.17, pat.Year.Needed);

        // Coordinator: 15 minutes after each review.
        Assert.Equal(0.5, plan.Person(Cora).In(3));
        Assert.Equal(0.25, plan.Person(Cora).In(11));
    }

    [Fact]
    public void MeetingTime_IsTheTouchpointsLength_CountedForTheRoleHoldingTheMeetingStep()
    {
        var plan = Plan(Input(ThreeHouseholds));

        // The review step estimates 90 minutes, but the tier's review lasts 60: two reviews in March are 2 h.
        Assert.Equal(2.0, plan.Person(Wendy).In(3));
        Assert.Equal(1.0, plan.Person(Wendy).In(11));

        // The topic meeting's "on meeting" step belongs to the financial advisor: 30 minutes, not the step's 45.
        Assert.Equal(0.5, plan.Person(Fred).In(9));
        Assert.Equal(0.5, plan.Person(Fred).In(5));
        Assert.Equal(1.0, plan.Role(RoleKeys.FinancialAdvisor).Year.Needed);
    }

    [Fact]
    public void StoredTouchpoints_ReplaceTheTierPlan_ForTheHouseholdsThatHaveThem()
    {
        // H1's year is laid out: one 90-minute review on 14 April, held by fred, and no topic meeting.
        var input = Input(ThreeHouseholds) with
        {
            Touchpoints = [new StoredTouchpoint(new HouseholdId(1), TouchpointKind.Review, new LocalDate(2027, 4, 14), 90, Fred)],
        };

        var plan = Plan(input);

        Assert.Equal(0.5, plan.Person(Pat).In(3));      // only H2's review is left in March
        Assert.Equal(0.5, plan.Person(Pat).In(4));      // H1's review preparation moved with it
        Assert.Equal(0, plan.Person(Pat).In(9));        // and its topic meeting is gone
        Assert.Equal(1.5, plan.Person(Fred).In(4));     // the stored advisor holds the 90 minutes
        Assert.Equal(1.5, plan.Role(RoleKeys.WealthPartner).In(4));
        Assert.Equal(1.0, plan.Person(Wendy).In(3));
        Assert.Contains("1 household is planned from the touchpoints laid out for 2027.", plan.Notes);
    }

    [Fact]
    public void FirmPeriodicProcess_CountsOncePerOccurrence_ForTheFirmLevelHolder()
    {
        var plan = Plan(Input(ThreeHouseholds, null, QuarterlyBusinessReview));

        var paul = plan.Person(Paul);
        Assert.Equal([2.0, 0, 0, 2.0, 0, 0, 2.0, 0, 0, 2.0, 0, 0], paul.Months.Select(m => m.Needed));
        Assert.Equal(8.0, plan.Role(RoleKeys.Principal).Sources.Periodic);
    }

    [Fact]
    public void ClientPeriodicProcess_CountsForEveryClientHousehold_UnsegmentedIncluded()
    {
        var households = ThreeHouseholds.Append(Household(4, ServiceTier.Unsegmented, 3)).ToList();

        var plan = Plan(Input(households, null, AnnualTaxCheck));

        // Four clients × 30 minutes in October; the unsegmented one gets no meetings.
        Assert.Equal(2.0, plan.Person(Ava).In(10));
        Assert.Equal(2.0, plan.Person(Ava).Year.Needed);
        Assert.Equal(1.0, plan.Person(Pat).In(3));
        Assert.Contains(plan.Notes, n => n.Contains("unsegmented", StringComparison.Ordinal));
    }

    [Fact]
    public void Contact_IsContactsPerYearTimesMinutesPerContact_SpreadOverTheYear_ForTheTiersContactRole()
    {
        // A: 12 contacts a year (wealth partner), B: 6 (financial advisor); 20 minutes each.
        var plan = Plan(Input(ThreeHouseholds, Settings(contactsA: 12, contactsB: 6)), new CapacityOptions { MinutesPerContact = 20 });

        // Two A households × 12 × 20 min = 8 h a year, 40 minutes a month.
        Assert.Equal(0.67, plan.Person(Wendy).In(1));
        Assert.Equal(8.0, plan.Role(RoleKeys.WealthPartner).Sources.Contact);

        // One B household × 6 × 20 min = 2 h a year.
        Assert.Equal(2.0, plan.Role(RoleKeys.FinancialAdvisor).Sources.Contact);
        Assert.Equal(3.0, plan.Person(Fred).Year.Needed);
    }

    [Fact]
    public void HouseholdsWithoutAReviewMonth_HaveTheirMeetingsSpreadEvenlyOverTheYear()
    {
        var plan = Plan(Input([Household(1, ServiceTier.B, null)]));

        var wendy = plan.Person(Wendy);
        Assert.All(wendy.Months, m => Assert.Equal(0.08, m.Needed));
        Assert.Equal(1.0, plan.Role(RoleKeys.WealthPartner).Year.Needed);
        Assert.Contains(plan.Notes, n => n.StartsWith("1 household has no review month", StringComparison.Ordinal));
    }

    [Fact]
    public void WorkForARoleNoOneHolds_IsCountedForTheRole_AsUnassigned()
    {
        var team = new Dictionary<string, StaffId>(Team);
        team.Remove(RoleKeys.ClientCareCoordinator);
        var input = Input(ThreeHouseholds) with { Teams = [team] };

        var plan = Plan(input);

        var coordinator = plan.Role(RoleKeys.ClientCareCoordinator);
        Assert.Equal(0.75, coordinator.Year.Needed);
        Assert.Equal(0.75, coordinator.Unassigned);
        Assert.Equal(0, plan.Person(Cora).Year.Needed);
        Assert.Contains(plan.Notes, n => n.Contains("Client care coordinator work falls to no one", StringComparison.Ordinal));
    }

    [Fact]
    public void AMeetingTemplateMissingFromTheLibrary_CountsOnlyTheMeeting_AndSaysSo()
    {
        var input = Input(ThreeHouseholds) with { Templates = [Template(Review)] };

        var plan = Plan(input);

        Assert.Equal(0, plan.Person(Pat).In(9));
        Assert.Equal(0.5, plan.Role(RoleKeys.WealthPartner).In(9));  // the topic meeting, for the wealth partner
        Assert.Contains(plan.Notes, n => n.Contains("\"topic\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ManyHouseholds_OnDifferentTeams_GoToEachTeamsHolder()
    {
        var other = new Dictionary<string, StaffId>(Team) { [RoleKeys.Paraplanner] = Cora };
        var input = Input([Household(1, ServiceTier.B, 3), Household(2, ServiceTier.B, 3) with { Team = 1 }]) with { Teams = [Team, other] };

        var plan = Plan(input);

        Assert.Equal(0.5, plan.Person(Pat).In(3));
        Assert.Equal(0.5 + 0.5, plan.Person(Cora).In(3));  // H2's preparation and both households' notes
        Assert.Equal(1.0, plan.Role(RoleKeys.Paraplanner).In(3));
    }
}
