using Ensemble.Storage;

namespace Ensemble.Cli.Tests.Consolidation;

/// <summary>`ensemble import --source` and `ensemble sources`: two overlapping exports, their discrepancy, lineage and the choice that resolves it.</summary>
public sealed class SourceCommandTests
{
    [Fact]
    public async Task TwoOverlappingExports_ShowADiscrepancyAndLineage_AndAPersonResolvesIt()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-sources-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", "household_id,name,stage\nHH-1,The Okafor Household,client\n"));
        await cli.OkAsync("sources", "add", "crm", "--name", "Redtail CRM");
        await cli.OkAsync("sources", "add", "planning", "--name", "eMoney");

        var crm = await cli.OkAsync("import", "--source", "crm", cli.WriteFile("crm.csv", "household,income,will.exists,verified_at\nHH-1,\"180,000\",yes,2026-10-01\n"));
        await cli.OkAsync("import", "--source", "planning", cli.WriteFile("planning.json", """[{"household": "HH-1", "facts": {"income": 200000}}]"""));
        var again = await cli.OkAsync("import", "--source", "crm", Path.Combine(cli.WorkingDirectory, "crm.csv"));
        var bad = await cli.RunAsync("import", "--source", "crm", cli.WriteFile("bad.csv", "household,income\nHH-1,lots\nHH-9,1\n"));
        var discrepancies = await cli.OkAsync("sources", "discrepancies");
        var lineage = await cli.OkAsync("sources", "lineage", "HH-1");
        var resolved = await cli.OkAsync("sources", "resolve", "1", "--source", "crm");
        var after = await cli.OkAsync("sources", "lineage", "HH-1");

        Assert.Contains("2 values for 1 rows: 2 new", crm.Output, StringComparison.Ordinal);
        Assert.Contains("already imported", again.Output, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("bad.csv:2:2: income: \"lots\" is not an amount", bad.Error, StringComparison.Ordinal);
        Assert.Contains("bad.csv:3:1: household: household \"HH-9\" does not exist", bad.Error, StringComparison.Ordinal);
        Assert.Contains("crm: 180,000.00; planning: 200,000.00", discrepancies.Output, StringComparison.Ordinal);
        Assert.Contains("200,000.00 (discrepancy 1)", lineage.Output, StringComparison.Ordinal);
        Assert.Contains("crm.csv", lineage.Output, StringComparison.Ordinal);
        Assert.Contains("HH-1 income: chose crm.", resolved.Output, StringComparison.Ordinal);
        Assert.Contains("crm (chosen by admin)", after.Output, StringComparison.Ordinal);
    }
}
