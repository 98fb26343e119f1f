using Ensemble.Households;
using Ensemble.ServiceModel.Contacts;
using NodaTime;
using static Ensemble.Tests.ServiceModel.Contacts.ContactTesting;

namespace Ensemble.Tests.ServiceModel.Contacts;

public sealed class OccasionFinderTests
{
    private static readonly LocalDate December1 = new(2026, 12, 1);

    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    [InlineData(55, false)]
    [InlineData(60, true)]
    [InlineData(65, true)]
    [InlineData(67, false)]
    [InlineData(70, true)]
    [InlineData(80, true)]
    [InlineData(100, true)]
    public void MilestoneBirthdays_Are50_60_AndEveryFifthAfter(int age, bool milestone) =>
        Assert.Equal(milestone, OccasionFinder.IsMilestoneBirthday(age));

    [Fact]
    public void Birthday_InTheWindow_IsFoundWithItsAge_AndAMilestoneIsMarked()
    {
        var household = Household(members: [Primary(new LocalDate(1966, 12, 5)), Spouse(new LocalDate(1971, 12, 9))]);

        var found = OccasionFinder.Find(household, Days(December1, 14));

        Assert.Equal(2, found.Count);
        Assert.Equal(new Occasion(OccasionKind.Birthday, new LocalDate(2026, 12, 5), "Ana Reyes's 60th birthday", 60, "P1"), found[0]);
        Assert.Equal("Luis Reyes's birthday (turns 55)", found[1].Title);
        Assert.False(found[1].IsMilestone);
    }

    [Fact]
    public void Feb29Birthday_IsMarkedOnFeb28InOtherYears_AndOnFeb29InLeapYears()
    {
        var household = Household(members: [Primary(new LocalDate(1960, 2, 29))]);

        var plain = Assert.Single(OccasionFinder.Find(household, Days(new LocalDate(2027, 2, 20), 14)));
        var leap = Assert.Single(OccasionFinder.Find(household, Days(new LocalDate(2028, 2, 20), 14)));

        Assert.Equal(new LocalDate(2027, 2, 28), plain.On);
        Assert.Equal("Ana Reyes's birthday (turns 67)", plain.Title);
        Assert.Equal(new LocalDate(2028, 2, 29), leap.On);
        Assert.Equal("Ana Reyes's birthday (turns 68)", leap.Title);
    }

    [Fact]
    public void WindowAcrossTheYearEnd_FindsOccasionsOnBothSides_WithTheirOwnYears()
    {
        var household = Household(
            married: new LocalDate(2001, 1, 3),
            members: [Primary(new LocalDate(1976, 12, 30)), Spouse(new LocalDate(1977, 1, 2))]);

        var found = OccasionFinder.Find(household, Days(new LocalDate(2026, 12, 25), 14));

        Assert.Equal(
            ["2026-12-30 Ana Reyes's 50th birthday", "2027-01-02 Luis Reyes's 50th birthday", "2027-01-03 26th wedding anniversary"],
            found.Select(o => $"{o.On:uuuu-MM-dd} {o.Title}"));
        Assert.Equal(["contact:7:2026:birthday:P1", "contact:7:2027:birthday:P2", "contact:7:2027:anniversary"], found.Select(o => o.TriggerKey(household.Id)));
    }

    [Fact]
    public void Anniversary_EveryFifthYearIsAMilestone()
    {
        var silver = Household(married: new LocalDate(2001, 12, 10));
        var plain = Household(married: new LocalDate(2003, 12, 10));

        Assert.Equal(25, Assert.Single(OccasionFinder.Find(silver, Days(December1, 14))).Milestone);
        Assert.Null(Assert.Single(OccasionFinder.Find(plain, Days(December1, 14))).Milestone);
    }

    [Fact]
    public void ChildrensBirthdays_AndTheFirstDayOfLife_AreNotOccasions()
    {
        var household = Household(members:
        [
            new ContactMember("C1", "Mia Reyes", Relationship.Child, new LocalDate(2015, 12, 3)),
            Primary(new LocalDate(2026, 12, 2)),
        ]);

        Assert.Empty(OccasionFinder.Find(household, Days(December1, 14)));
    }

    [Fact]
    public void AfterALoss_TheMembersBirthdayAndTheAnniversaryAreNoLongerMarked()
    {
        var household = Household(
            married: new LocalDate(1990, 12, 8),
            members: [Primary(new LocalDate(1960, 12, 5)), Spouse(new LocalDate(1962, 12, 6))],
            events: [new ContactLifeEvent(3, LifeEventKind.Loss, new LocalDate(2026, 6, 1), "P2", null, ContactStarted: true)]);

        var found = OccasionFinder.Find(household, Days(December1, 14));

        Assert.Equal(["Ana Reyes's birthday (turns 66)"], found.Select(o => o.Title));
    }

    [Fact]
    public void LifeEvents_InTheWindowOrShortlyBefore_AreOccasions()
    {
        var household = Household(members: [Primary(new LocalDate(1980, 6, 1))], events:
        [
            new ContactLifeEvent(1, LifeEventKind.NewJob, December1.PlusDays(-10), "P1", "Head of design at Contoso", false),
            new ContactLifeEvent(2, LifeEventKind.Retirement, December1.PlusDays(20), "P1", null, false),
            new ContactLifeEvent(3, LifeEventKind.Promotion, December1.PlusDays(-200), "P1", null, false),
        ]);

        var found = Assert.Single(OccasionFinder.Find(household, Days(December1, 14)));

        Assert.Equal("New job: Ana Reyes — Head of design at Contoso", found.Title);
        Assert.Equal("contact:7:2026:life-event:1", found.TriggerKey(household.Id));
    }
}
