using Ensemble.Storage;

namespace Ensemble.Cli.Tests;

/// <summary>`ensemble life-event add` and `ensemble contacts occasions | plan`, as a user runs them. Today is 24 November 2026.</summary>
public sealed class ContactCommandTests
{
    [Fact]
    public async Task ALifeEventStartsItsContact_OccasionsListTheComingDays_AndPlanStartsThemOnce()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-contacts-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", """
            household_id,name,stage,net_worth,investable_assets,household_income,initial_revenue,recurring_revenue,referrals_given,products
            HH-1001,The Okafor Household,client,3200000,1500000,450000,12000,15000,1,2
            """));
        await cli.OkAsync("import", "members", cli.WriteFile("members.csv", """
            household_id,member_id,first_name,last_name,birth_date,relationship
            HH-1001,M-1,Ada,Okafor,1966-11-30,primary
            """));

        var recorded = await cli.OkAsync("life-event", "add", "HH-1001", "--kind", "new-job", "--on", "2026-11-02", "--member", "M-1", "--note", "Chief engineer at the port");
        var occasions = await cli.OkAsync("contacts", "occasions", "--days", "30");
        var plan = await cli.OkAsync("contacts", "plan", "--days", "14");
        var again = await cli.OkAsync("contacts", "plan");
        var wrongKind = await cli.RunAsync("life-event", "add", "HH-1001", "--kind", "lottery", "--on", "2026-11-02");
        var wrongMember = await cli.RunAsync("life-event", "add", "HH-1001", "--kind", "promotion", "--on", "2026-11-02", "--member", "M-9");

        Assert.Contains("HH-1001: new-job on 2026-11-02. Recorded; contact process #", recorded.Output, StringComparison.Ordinal);
        Assert.Contains("Ada Okafor's 60th birthday", occasions.Output, StringComparison.Ordinal);
        Assert.Contains("1 started, 1 already started", plan.Output, StringComparison.Ordinal);
        Assert.Contains("0 started, 2 already started", again.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrongKind.ExitCode);
        Assert.Contains("\"lottery\" is not a life event", wrongKind.Error, StringComparison.Ordinal);
        Assert.Equal(2, wrongMember.ExitCode);
        Assert.Contains("member: M-9 is not a member of HH-1001", wrongMember.Error, StringComparison.Ordinal);
    }
}
