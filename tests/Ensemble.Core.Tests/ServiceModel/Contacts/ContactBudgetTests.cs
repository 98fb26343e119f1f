using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Contacts;
using NodaTime;
using static Ensemble.Tests.ServiceModel.Contacts.ContactTesting;

namespace Ensemble.Tests.ServiceModel.Contacts;

public sealed class ContactBudgetTests
{
    private static readonly LocalDate Today = new(2026, 12, 1);
    private static readonly DateInterval Fortnight = Days(Today, 14);

    /// <summary>A birthday on 3 December (turning 47) and a 25th anniversary on 10 December.</summary>
    private static ContactHousehold WithTwoOccasions(ServiceTier tier, int contactsLastYear, bool doNotContact = false) => Household(
        tier,
        married: new LocalDate(2001, 12, 10),
        members: [Primary(new LocalDate(1979, 12, 3))],
        contacts: Enumerable.Range(1, contactsLastYear).Select(n => new PastContact(Today.PlusDays(-20 * n), null)).ToList(),
        doNotContact: doNotContact);

    private static IReadOnlyList<ContactLine> Plan(ContactHousehold household) =>
        ContactBudget.PlanHousehold(household, Fortnight, Today, Frequency);

    [Fact]
    public void UnderTheFrequency_EveryBirthdayAndAnniversaryGetsAContact_ByTheTiersOwner()
    {
        var lines = Plan(WithTwoOccasions(ServiceTier.A, contactsLastYear: 3));

        Assert.All(lines, l => Assert.Equal(ContactDecision.Planned, l.Decision));
        Assert.All(lines, l => Assert.Equal(RoleKeys.WealthPartner, l.OwnerRole));
        Assert.Equal([new LocalDate(2026, 12, 3), new LocalDate(2026, 12, 10)], lines.Select(l => l.ContactOn));
    }

    [Theory]
    [InlineData(ServiceTier.A, RoleKeys.WealthPartner)]
    [InlineData(ServiceTier.B, RoleKeys.FinancialAdvisor)]
    [InlineData(ServiceTier.C, RoleKeys.ClientCareCoordinator)]
    [InlineData(ServiceTier.Unsegmented, RoleKeys.ClientCareCoordinator)]
    public void TheContactIsMadeByTheRoleTheTierNames(ServiceTier tier, string role) =>
        Assert.Equal(role, ContactBudget.OwnerRole(tier, afterLoss: false));

    [Fact]
    public void AtTheLastContactOfTheYear_TheMilestoneGoesFirst_AndTheRestIsSkippedWithTheReason()
    {
        // Tier C has three contacts a year; two are used.
        var lines = Plan(WithTwoOccasions(ServiceTier.C, contactsLastYear: 2));

        var planned = Assert.Single(lines, l => l.Decision == ContactDecision.Planned);
        var skipped = Assert.Single(lines, l => l.Decision == ContactDecision.Skipped);
        Assert.Equal(OccasionKind.Anniversary, planned.Occasion.Kind);
        Assert.Equal(OccasionKind.Birthday, skipped.Occasion.Kind);
        Assert.Equal("tier C gets 3 a year and 3 are made or planned over the last 12 months", skipped.Reason);
    }

    [Fact]
    public void ContactsOlderThanAYear_DoNotCountAgainstTheFrequency()
    {
        var household = WithTwoOccasions(ServiceTier.C, 0) with
        {
            Contacts = [new(Today.PlusDays(-400), null), new(Today.PlusDays(-380), null), new(Today.PlusDays(-370), null)],
        };

        Assert.All(Plan(household), l => Assert.Equal(ContactDecision.Planned, l.Decision));
    }

    [Fact]
    public void LifeEvents_AlwaysGetAContact_EvenPastTheFrequency_AndALossGoesToTheWealthPartner()
    {
        var household = WithTwoOccasions(ServiceTier.C, contactsLastYear: 3) with
        {
            LifeEvents =
            [
                new ContactLifeEvent(11, LifeEventKind.NewGrandchild, Today.PlusDays(-2), null, null, false),
                new ContactLifeEvent(12, LifeEventKind.Loss, Today.PlusDays(4), null, "Her father", false),
            ],
        };

        var lines = Plan(household);

        var events = lines.Where(l => l.Occasion.Kind == OccasionKind.LifeEvent).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, l => Assert.Equal(ContactDecision.Planned, l.Decision));
        Assert.Equal(Today, events.Single(l => l.Occasion.LifeEvent == LifeEventKind.NewGrandchild).ContactOn);

        // A loss this year: every contact of the household now goes to the wealth partner.
        Assert.All(lines, l => Assert.Equal(RoleKeys.WealthPartner, l.OwnerRole));
        Assert.All(lines.Where(l => l.Occasion.Kind != OccasionKind.LifeEvent), l => Assert.Equal(ContactDecision.Skipped, l.Decision));
    }

    [Fact]
    public void DoNotContact_GetsNoContact_AndEveryOccasionIsReportedWithTheReason()
    {
        var household = WithTwoOccasions(ServiceTier.A, 0, doNotContact: true) with
        {
            LifeEvents = [new ContactLifeEvent(5, LifeEventKind.Retirement, Today.PlusDays(3), "P1", null, false)],
        };

        var lines = Plan(household);

        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal(ContactDecision.Skipped, l.Decision));
        Assert.All(lines, l => Assert.Equal("the household asked not to be contacted", l.Reason));
        Assert.Empty(Plan(Household(ServiceTier.A, doNotContact: true)));
    }

    [Fact]
    public void AnOccasionAlreadyStarted_IsReportedAsSuch_AndNotStartedAgain()
    {
        var first = Plan(WithTwoOccasions(ServiceTier.B, 0));
        var household = WithTwoOccasions(ServiceTier.B, 0) with
        {
            Contacts = first.Select(l => new PastContact(l.ContactOn, l.TriggerKey)).ToList(),
        };

        var again = Plan(household);

        Assert.All(again, l => Assert.Equal(ContactDecision.AlreadyStarted, l.Decision));
        Assert.Equal(first.Select(l => l.TriggerKey), again.Select(l => l.TriggerKey));
    }

    [Fact]
    public void BehindItsFrequency_WithNothingToMark_AHouseholdGetsACheckIn()
    {
        // Tier B: six a year, one every 60 days; the last contact was 75 days ago.
        var behind = Household(ServiceTier.B, contacts: [new PastContact(Today.PlusDays(-75), null)]);
        var recent = Household(ServiceTier.B, contacts: [new PastContact(Today.PlusDays(-10), null)]);
        var dueNextWeek = Household(ServiceTier.B, contacts: [new PastContact(Today.PlusDays(-53), null)]);

        var checkIn = Assert.Single(Plan(behind));

        Assert.Equal(OccasionKind.CheckIn, checkIn.Occasion.Kind);
        Assert.Equal(Today, checkIn.ContactOn);
        Assert.Equal(RoleKeys.FinancialAdvisor, checkIn.OwnerRole);
        Assert.Equal("contact:7:2026:check-in:12-01", checkIn.TriggerKey);
        Assert.Empty(Plan(recent));
        Assert.Equal(Today.PlusDays(7), Assert.Single(Plan(dueNextWeek)).ContactOn);
    }

    [Fact]
    public void NeverContacted_FirstCheckInFallsOnAFixedDay_WhicheverDayThePlanRuns()
    {
        // Tier C: three a year, one every 121 days; spread by household id.
        var household = Household(ServiceTier.C, id: 1234);
        var due = new LocalDate(2026, 1, 1).PlusDays(Enumerable.Range(0, 121)
            .First(d => new LocalDate(2026, 1, 1).PlusDays(d).ToDateOnly().DayNumber % 121 == 1234 % 121));

        // Every daily plan up to that day sees the same first check-in (or none yet, while it is more than 14 days off).
        var seen = Enumerable.Range(0, 121)
            .Select(d => new LocalDate(2026, 1, 1).PlusDays(d))
            .Where(day => day <= due)
            .SelectMany(day => ContactBudget.PlanHousehold(household, Days(day, 14), day, Frequency))
            .Select(l => l.ContactOn)
            .Distinct()
            .ToList();

        Assert.Equal([due], seen);
    }

    [Fact]
    public void AnUnsegmentedHousehold_GetsContactsOnlyForLifeEvents()
    {
        var household = WithTwoOccasions(ServiceTier.Unsegmented, 0) with
        {
            LifeEvents = [new ContactLifeEvent(9, LifeEventKind.NewJob, Today.PlusDays(1), "P1", null, false)],
        };

        var lines = Plan(household);

        Assert.Equal([OccasionKind.LifeEvent], lines.Where(l => l.Decision == ContactDecision.Planned).Select(l => l.Occasion.Kind));
    }

    [Theory]
    [InlineData(new[] { "letter", "phone" }, ContactChannel.Card)]
    [InlineData(new[] { "email" }, ContactChannel.Email)]
    [InlineData(new[] { "fax", "sms" }, ContactChannel.Sms)]
    [InlineData(new[] { "portal" }, ContactChannel.Portal)]
    [InlineData(new string[0], ContactChannel.Call)]
    public void TheChannelIsTheFirstPreferredOneKnown(string[] preferred, ContactChannel channel) =>
        Assert.Equal(channel, ContactChannels.For(preferred));

    [Fact]
    public void Plan_ForManyHouseholds_IsOrderedByDayThenHousehold()
    {
        var lines = ContactBudget.Plan(
            [WithTwoOccasions(ServiceTier.A, 0) with { Id = new(2), Key = "HH-2" }, WithTwoOccasions(ServiceTier.A, 0) with { Id = new(1), Key = "HH-1" }],
            Fortnight, Today, Frequency);

        Assert.Equal(["HH-1", "HH-2", "HH-1", "HH-2"], lines.Select(l => l.Household.Key));
    }
}
