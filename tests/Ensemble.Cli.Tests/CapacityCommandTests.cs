using Ensemble.Storage;

namespace Ensemble.Cli.Tests;

/// <summary>
/// One small firm for every capacity command test (the commands only read): a wealth partner and a
/// paraplanner on the team of one household whose facts make it tier A.
/// </summary>
public sealed class CapacityCliFirm : IAsyncLifetime
{
    public Cli Cli { get; private set; } = null!;

    public async Task InitializeAsync() => Cli = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<Cli> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-capacity-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "maria", "--name", "Maria Okafor", "--roles", "wealth-partner,principal");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", """
            household_id,name,stage,net_worth,investable_assets,household_income,initial_revenue,recurring_revenue,referrals_given,products
            HH-1,The Okafor Household,client,3200000,1500000,450000,12000,15000,1,2
            """));
        await cli.OkAsync("team", "set", "--household", "HH-1", "--role", "wealth-partner", "--holder", "maria");
        await cli.OkAsync("team", "set", "--household", "HH-1", "--role", "paraplanner", "--holder", "tom");
        return cli;
    }
}

/// <summary>`ensemble capacity`: the year's hours by role and person, a month in detail, and what-ifs.</summary>
public sealed class CapacityCommandTests(CapacityCliFirm firm) : IClassFixture<CapacityCliFirm>
{

    [Fact]
    public async Task Capacity_ShowsEachRoleAndPerson_WithUtilisationAndThinCoverFlags()
    {
        var cli = firm.Cli;

        var byRole = await cli.OkAsync("capacity", "--year", "2027");
        var march = await cli.OkAsync("capacity", "--year", "2027", "--by", "person", "--month", "3");

        Assert.Contains("Capacity 2027: 1 client households", byRole.Output, StringComparison.Ordinal);
        Assert.Contains("Wealth partner", byRole.Output, StringComparison.Ordinal);
        Assert.Contains("fewer than 3 people", byRole.Output, StringComparison.Ordinal);
        Assert.Contains("Mar 2027: 22 working days.", march.Output, StringComparison.Ordinal);
        Assert.Contains("Maria Okafor (maria)", march.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIf_MovingAHouseholdDown_ShowsTheHoursItSaves()
    {
        var cli = firm.Cli;

        var result = await cli.OkAsync("capacity", "--year", "2027", "--what-if-households", "HH-1:C");

        Assert.Contains("Move 1 household to tier C.", result.Output, StringComparison.Ordinal);
        Assert.Contains("HH-1 (A→C)", result.Output, StringComparison.Ordinal);
        Assert.Contains("Change in hours by person", result.Output, StringComparison.Ordinal);
        Assert.Contains("Maria Okafor (maria)", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--what-if-move", "20:B", "--what-if-move")]
    [InlineData("--what-if-move", "5:B:A", "--what-if-move: only 0 households are in tier B")]
    [InlineData("--what-if-households", "HH-404:A", "HH-404 is not a client household")]
    [InlineData("--month", "13", "--month")]
    [InlineData("--hours-per-day", "0", "--hours-per-day")]
    public async Task BadInput_IsRefused_NamingTheOption(string option, string value, string message)
    {
        var cli = firm.Cli;

        var result = await cli.RunAsync("capacity", "--year", "2027", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
