using Ensemble.Storage;

namespace Ensemble.Cli.Tests;

/// <summary>`ensemble tiers explain`: the tier a household's imported facts give, criterion by criterion.</summary>
public sealed class TierCommandTests
{
    [Fact]
    public async Task Explain_ShowsEachCriterion_AndTheTierThatFollows_OrWhatIsMissing()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-tiers-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", """
            household_id,name,stage,net_worth,investable_assets,household_income,initial_revenue,recurring_revenue,referrals_given,products
            HH-1,The Okafor Household,client,3200000,1500000,450000,12000,15000,1,2
            HH-2,The Lindqvist Household,client,600000,,,,,,
            """));
        await cli.OkAsync("import", "members", cli.WriteFile("members.csv", """
            household_id,member_id,first_name,last_name,birth_date,relationship
            HH-1,P-1,Ada,Okafor,1975-05-01,primary
            """));

        var full = await cli.OkAsync("tiers", "explain", "HH-1");
        var sparse = await cli.OkAsync("tiers", "explain", "HH-2");

        Assert.Contains("The Okafor Household (HH-1): tier A", full.Output, StringComparison.Ordinal);
        Assert.Contains("Net worth $3,200,000", full.Output, StringComparison.Ordinal);
        Assert.Contains("Age 51", full.Output, StringComparison.Ordinal);
        Assert.Contains("A: 6 of 8", full.Output, StringComparison.Ordinal);
        Assert.Contains("Unsegmented", sparse.Output, StringComparison.Ordinal);
        Assert.Contains("Household income unknown", sparse.Output, StringComparison.Ordinal);
    }
}
