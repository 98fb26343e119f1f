using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Storage.Tests.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ensemble.Cli.Tests;

/// <summary>The issue's "done when", walked through the real program on both databases.</summary>
public sealed partial class NewUserScenarioTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewFirm_ImportsHouseholds_RunsAWorkflow_RoutesAroundAbsence_AndKeepsAVerifiableAuditTrail(StorageProvider provider)
    {
        var location = await EmptyDatabaseAsync(provider);
        var cli = new Cli(location);

        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "maria", "--name", "Maria Okafor", "--roles", "wealth-partner,principal");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner");
        await cli.OkAsync("staff", "add", "aisha", "--name", "Aisha Bello", "--roles", "paraplanner");
        var households = cli.WriteFile("households.csv", """
            household_id,name,stage,investable_assets,household_income
            HH-1001,The Okafor Household,client,2500000,420000
            HH-1002,The Lindqvist Household,prospect,650000,180000
            """);
        var imported = await cli.OkAsync("import", "households", households);
        Assert.Contains("2 created", imported.Output, StringComparison.Ordinal);
        var again = await cli.OkAsync("import", "households", households);
        Assert.Contains("2 unchanged", again.Output, StringComparison.Ordinal);

        await cli.OkAsync("team", "set", "--household", "HH-1001", "--role", "paraplanner", "--holder", "tom", "--backups", "aisha");
        await cli.OkAsync("team", "set", "--household", "HH-1001", "--role", "wealth-partner", "--holder", "maria");
        await cli.OkAsync("staff", "away", "tom", "--from", "2026-11-30", "--to", "2026-12-04");

        var started = await cli.OkAsync("start", "review-meeting", "--household", "HH-1001", "--anchor", "meeting=2026-12-08", "--as", "maria");
        Assert.Contains("Review Meeting", started.Output, StringComparison.OrdinalIgnoreCase);

        // Preparation due in Tom's absence lands with Aisha, his first backup.
        var aisha = await cli.OkAsync("tasks", "mine", "--as", "aisha");
        var taskIds = TaskNumber().Matches(aisha.Output).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(taskIds);

        foreach (var id in taskIds)
        {
            await cli.RunAsync("complete", id, "--as", "aisha");
        }

        var verified = await cli.OkAsync("audit", "verify");
        Assert.Contains("intact", verified.Output, StringComparison.Ordinal);

        await TamperAsync(location);
        var tampered = await cli.RunAsync("audit", "verify");
        Assert.Equal(6, tampered.ExitCode);
        Assert.Contains("Event 2 ", tampered.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_BuildsAFirmWithWorkUnderWay_AndSaysWhereToStart()
    {
        var location = await EmptyDatabaseAsync(StorageProvider.Sqlite);
        var cli = new Cli(location);

        var demo = await cli.OkAsync("demo", "--households", "120");

        Assert.Contains("Built Harbor Point Wealth Partners", demo.Output, StringComparison.Ordinal);
        Assert.Contains("tasks mine --as aisha", demo.Output, StringComparison.Ordinal);
        var work = await cli.OkAsync("tasks", "mine", "--as", "aisha");
        Assert.Matches(TaskNumber(), work.Output);
        Assert.Contains("intact", (await cli.OkAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsOnAMissingDatabase_ExplainHowToStart()
    {
        var location = await EmptyDatabaseAsync(StorageProvider.Sqlite);

        var result = await new Cli(location).RunAsync("tasks", "overdue");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("ensemble init", result.Error, StringComparison.Ordinal);
    }

    private static Task<DatabaseLocation> EmptyDatabaseAsync(StorageProvider provider) => TestDatabases.CreateEmptyAsync(provider, "cli");

    private static async Task TamperAsync(DatabaseLocation location)
    {
        if (location.Provider == StorageProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(location.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'mallory' WHERE sequence = 2;";
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var pg = new NpgsqlConnection(location.ConnectionString);
        await pg.OpenAsync();
        await using var tamper = new NpgsqlCommand("ALTER TABLE audit_events DISABLE TRIGGER USER; UPDATE audit_events SET actor = 'mallory' WHERE sequence = 2;", pg);
        await tamper.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"│\s*(\d+)\s*│")]
    private static partial Regex TaskNumber();
}
