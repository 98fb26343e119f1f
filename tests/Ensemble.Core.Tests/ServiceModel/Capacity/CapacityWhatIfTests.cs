using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using static Ensemble.Tests.ServiceModel.Capacity.CapacityFirm;

namespace Ensemble.Tests.ServiceModel.Capacity;

/// <summary>What-ifs: the change in hours from moving named households, or the N closest, to another tier.</summary>
public sealed class CapacityWhatIfTests
{
    private static CapacityModel Model(IReadOnlyList<CapacityHousehold> households) =>
        CapacityModel.Build(Input(households, Settings(contactsA: 12)), new CapacityOptions());

    [Fact]
    public void MovingAHouseholdFromBToA_AddsTheTopicMeetingAndTheAContact_AndNothingElse()
    {
        var model = Model([Household(1, ServiceTier.A, 3), Household(2, ServiceTier.B, 3)]);

        var result = model.WhatIf(new MoveHouseholds(["HH-2"], ServiceTier.A));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var whatIf = result.Value;
        Assert.Equal([new HouseholdMove("HH-2", ServiceTier.B, ServiceTier.A)], whatIf.Moved);

        // The review stays in March; the topic meeting comes in September (fred 30 min, pat 20 min);
        // A's 12 contacts a year at 15 minutes add 15 minutes a month for wendy.
        var fred = whatIf.People.Single(p => p.Id == Fred);
        Assert.Equal(0.5, fred.Year.Change);
        Assert.Equal(0.5, fred.Months[8].Change);
        Assert.Equal(0.33, whatIf.People.Single(p => p.Id == Pat).Months[8].Change);
        var wendy = whatIf.People.Single(p => p.Id == Wendy);
        Assert.All(wendy.Months, m => Assert.Equal(0.25, m.Change));
        Assert.Equal(3.0, wendy.Year.Change);
        Assert.DoesNotContain(whatIf.People, p => p.Id == Cora);

        var role = whatIf.Roles.Single(r => r.Key == RoleKeys.WealthPartner);
        Assert.Equal(role.Year.Before.Needed + 3.0, role.Year.After.Needed, 2);
    }

    [Fact]
    public void MovingDown_TakesTheHoursAway()
    {
        var model = Model([Household(1, ServiceTier.A, 3)]);

        var result = model.WhatIf(new MoveHouseholds(["HH-1"], ServiceTier.C)).Value;

        Assert.Equal(-0.5, result.People.Single(p => p.Id == Fred).Year.Change);
        Assert.Equal(-3.0, result.People.Single(p => p.Id == Wendy).Year.Change);
    }

    [Fact]
    public void MovingTheNClosest_ChoosesTheHouseholdsWithTheMostCriteriaSupportingTheNewTier_TiesByKey()
    {
        var model = Model(
        [
            Household(1, ServiceTier.B, 3, new TierSupport(2, 5, 8)),
            Household(2, ServiceTier.B, 4, new TierSupport(4, 6, 8)),
            Household(3, ServiceTier.B, 5, new TierSupport(4, 7, 8)),
            Household(4, ServiceTier.B, 6, new TierSupport(3, 5, 8)),
            Household(5, ServiceTier.A, 7, new TierSupport(6, 8, 8)),
        ]);

        var result = model.WhatIf(new MoveClosest(2, ServiceTier.B, ServiceTier.A)).Value;

        Assert.Equal(["HH-2", "HH-3"], result.Moved.Select(m => m.Key));
        Assert.Contains("from tier B to tier A", result.Description, StringComparison.Ordinal);
        // Their topic meetings fall six months after April and May: October and November.
        var fred = result.People.Single(p => p.Id == Fred);
        Assert.Equal(0.5, fred.Months[9].Change);
        Assert.Equal(0.5, fred.Months[10].Change);
        Assert.Equal(1.0, fred.Year.Change);
    }

    [Fact]
    public void MovingTheNClosestDown_ChoosesThoseWithTheFewestCriteriaSupportingTheTierTheyLeave()
    {
        var model = Model(
        [
            Household(1, ServiceTier.A, 3, new TierSupport(7, 8, 8)),
            Household(2, ServiceTier.A, 3, new TierSupport(5, 8, 8)),
        ]);

        var result = model.WhatIf(new MoveClosest(1, ServiceTier.A, ServiceTier.B)).Value;

        Assert.Equal("HH-2", Assert.Single(result.Moved).Key);
    }

    [Fact]
    public void AStoredYear_IsReplacedByTheNewTiersPlan_WhenTheHouseholdMoves()
    {
        var input = Input([Household(1, ServiceTier.B, 3)], Settings()) with
        {
            Touchpoints = [new StoredTouchpoint(new(1), TouchpointKind.Review, new NodaTime.LocalDate(2027, 4, 14), 90, null)],
        };
        var model = CapacityModel.Build(input, new CapacityOptions());

        var result = model.WhatIf(new MoveHouseholds(["HH-1"], ServiceTier.A)).Value;

        // Before: a 90-minute review in April. After: A's 60-minute review in March and a topic in September.
        var wendy = result.People.Single(p => p.Id == Wendy);
        Assert.Equal(-1.5, wendy.Months[3].Change);
        Assert.Equal(1.0, wendy.Months[2].Change);
    }

    [Fact]
    public void UnknownHouseholds_AreRefused_NamingThem()
    {
        var model = Model([Household(1, ServiceTier.B, 3)]);

        var result = model.WhatIf(new MoveHouseholds(["HH-1", "HH-404"], ServiceTier.A));

        Assert.False(result.IsSuccess);
        Assert.StartsWith("households:", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("HH-404", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AskingToMoveMoreHouseholdsThanTheTierHas_IsRefused_NamingCount()
    {
        var model = Model([Household(1, ServiceTier.B, 3)]);

        var result = model.WhatIf(new MoveClosest(20, ServiceTier.B, ServiceTier.A));

        Assert.False(result.IsSuccess);
        Assert.StartsWith("count: only 1 household is in tier B", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MovingToTheSameTier_IsRefused()
    {
        var model = Model([Household(1, ServiceTier.B, 3)]);

        Assert.StartsWith("to:", model.WhatIf(new MoveClosest(1, ServiceTier.B, ServiceTier.B)).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HouseholdsAlreadyInTheTier_AreLeftOut_AndNothingChanges()
    {
        var model = Model([Household(1, ServiceTier.A, 3)]);

        var result = model.WhatIf(new MoveHouseholds(["HH-1"], ServiceTier.A)).Value;

        Assert.Empty(result.Moved);
        Assert.Empty(result.Roles);
        Assert.Empty(result.People);
        Assert.Contains("already there", result.Description, StringComparison.Ordinal);
    }
}
