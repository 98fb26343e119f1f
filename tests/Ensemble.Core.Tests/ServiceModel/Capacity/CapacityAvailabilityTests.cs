using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using NodaTime;
using static Ensemble.Tests.ServiceModel.Capacity.CapacityFirm;

namespace Ensemble.Tests.ServiceModel.Capacity;

/// <summary>Hours available, utilisation and the flags: over capacity, stretched, fewer than three holders.</summary>
public sealed class CapacityAvailabilityTests
{
    [Fact]
    public void Available_IsBusinessDaysTimesProductiveHours()
    {
        var plan = Plan(Input([]));

        Assert.Equal([21, 20, 23, 22, 21, 22, 22, 22, 22, 21, 22, 23], plan.BusinessDays);
        Assert.Equal(138.0, plan.Person(Pat).Months[2].Available);   // 23 days × 6 h
        Assert.Equal(1566.0, plan.Person(Pat).Year.Available);       // 261 days × 6 h
    }

    [Fact]
    public void Absences_AndFirmClosures_ReduceAvailableHours()
    {
        var away = Person(Pat, "pat", RoleKeys.Paraplanner) with { Absences = [new Absence(new LocalDate(2027, 3, 8), new LocalDate(2027, 3, 14), "Holiday")] };
        var closedOnFriday = new BusinessCalendar([IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], false, [new LocalDate(2027, 3, 26)]);
        var input = Input([]) with { People = [away, .. People.Where(p => p.Id != Pat)], Calendar = closedOnFriday };

        var plan = Plan(input, new CapacityOptions { HoursPerDay = 7 });

        // March: 23 weekdays, less the closure, less five weekdays away (the weekend was never a working day).
        Assert.Equal(17 * 7.0, plan.Person(Pat).Months[2].Available);
        Assert.Equal(22 * 7.0, plan.Person(Wendy).Months[2].Available);
        Assert.Equal(20 * 7.0, plan.Person(Pat).Months[1].Available);
    }

    [Theory]
    [InlineData(85, 100, LoadFlag.Ok)]
    [InlineData(86, 100, LoadFlag.Stretched)]
    [InlineData(100, 100, LoadFlag.Stretched)]
    [InlineData(101, 100, LoadFlag.Over)]
    [InlineData(1, 0, LoadFlag.Over)]
    [InlineData(0, 0, LoadFlag.Ok)]
    public void Flag_IsStretchedAbove85Percent_AndOverAbove100Percent(double needed, double available, LoadFlag expected)
    {
        var load = new Load(3, needed, available);

        Assert.Equal(expected, load.Flag);
    }

    [Fact]
    public void Utilisation_IsShownAsText_AndNoOneAvailableIsSaidInWords()
    {
        Assert.Equal("112 %", new Load(1, 112, 100).UtilisationText);
        Assert.Equal("over capacity", new Load(1, 112, 100).FlagText);
        Assert.Equal("no one available", new Load(1, 5, 0).UtilisationText);
    }

    [Fact]
    public void APersonWithMoreWorkThanHours_IsFlaggedOverCapacity_InThatMonth()
    {
        // 40 B households reviewing in March: 40 × 60 min = 40 h of meetings for wendy in March.
        var households = Enumerable.Range(1, 40).Select(n => Household(n, ServiceTier.B, 3)).ToList();

        var plan = Plan(Input(households), new CapacityOptions { HoursPerDay = 1.5 });

        var march = plan.Person(Wendy).Months[2];
        Assert.Equal(40.0, march.Needed);
        Assert.Equal(34.5, march.Available);                 // 23 days × 1.5 h
        Assert.Equal(LoadFlag.Over, march.Flag);
        Assert.Equal(LoadFlag.Ok, plan.Person(Wendy).Months[3].Flag);
        Assert.Equal(LoadFlag.Over, plan.Role(RoleKeys.WealthPartner).Months[2].Flag);

        // Paraplanner: 40 × 30 min = 20 h of 34.5: fine.
        Assert.Equal(LoadFlag.Ok, plan.Person(Pat).Months[2].Flag);
    }

    [Fact]
    public void ClientServiceRoles_HeldByFewerThanThreePeople_AreFlagged_FirmRolesAreNot()
    {
        var people = People.Concat([Person(new(7), "cleo", RoleKeys.ClientCareCoordinator), Person(new(8), "cid", RoleKeys.ClientCareCoordinator)]).ToList();

        var plan = Plan(Input([Household(1, ServiceTier.A, 3)]) with { People = people });

        Assert.True(plan.Role(RoleKeys.Paraplanner).FewerThanThree);
        Assert.Equal(1, plan.Role(RoleKeys.Paraplanner).Holders);
        Assert.False(plan.Role(RoleKeys.ClientCareCoordinator).FewerThanThree);
        Assert.Equal(3, plan.Role(RoleKeys.ClientCareCoordinator).Holders);
        Assert.False(plan.Role(RoleKeys.Principal).FewerThanThree);
    }

    [Fact]
    public void APersonHoldingTwoRoles_LendsEachRoleTheShareItsWorkTakes()
    {
        // Pat is both paraplanner and coordinator on the team; Cora holds no role with work.
        var people = People.Select(p => p.Id == Pat ? p with { Roles = [RoleKeys.Paraplanner, RoleKeys.ClientCareCoordinator] } : p).ToList();
        var team = new Dictionary<string, StaffId>(Team) { [RoleKeys.ClientCareCoordinator] = Pat };
        var input = Input([Household(1, ServiceTier.B, 3), Household(2, ServiceTier.B, 3)]) with { People = people, Teams = [team] };

        var plan = Plan(input);

        // March: pat has 60 paraplanner minutes and 30 coordinator minutes, so lends 2/3 and 1/3 of 138 h.
        // Cora has no work that month and lends all her 138 h to the coordinator role she holds.
        Assert.Equal(92.0, plan.Role(RoleKeys.Paraplanner).Months[2].Available);
        Assert.Equal(46.0 + 138.0, plan.Role(RoleKeys.ClientCareCoordinator).Months[2].Available);
        Assert.Equal(1.5, plan.Person(Pat).In(3));
    }

    [Fact]
    public void Occurrences_AreCountedInTheMonthTheirDateFallsIn()
    {
        var quarterlyFromFebruary = new PeriodicTrigger(Cadence.Quarterly, null, 1, 2, MissedRunPolicy.CatchUp, 10, OverlapPolicy.Allow, PeriodicAudience.Firm);
        var mondays = new PeriodicTrigger(Cadence.Cron, "0 9 * * 1", 1, 1, MissedRunPolicy.Skip, 10, OverlapPolicy.Allow, PeriodicAudience.Firm);
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];

        Assert.Equal([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0], TemplateWorkload.OccurrencesPerMonth(quarterlyFromFebruary, Year, Weekdays, zone));
        var perMonth = TemplateWorkload.OccurrencesPerMonth(mondays, Year, Weekdays, zone);
        Assert.Equal(5, perMonth[2]);     // 1, 8, 15, 22, 29 March 2027
        Assert.Equal(52, perMonth.Sum());
    }
}
