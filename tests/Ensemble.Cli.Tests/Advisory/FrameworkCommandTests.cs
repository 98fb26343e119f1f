using Ensemble.Storage;

namespace Ensemble.Cli.Tests.Advisory;

/// <summary>`ensemble framework` and `ensemble alerts`: edit the rules, run them, see and act on what they raise.</summary>
public sealed class FrameworkCommandTests
{
    private const string Rules = """
        rule estate.no-will "No will on record"
          category estate
          when not known_or(will.exists, no)
          variant none "No will" at urgency 50 sensitivity 80
        end
        """;

    [Fact]
    public async Task FrameworkSet_WithATypeError_IsRefusedAtFileLineAndColumn_AndTheFrameworkInForceStays()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-framework-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        var before = (await cli.OkAsync("framework", "show")).Output;

        var refused = await cli.RunAsync("framework", "set", cli.WriteFile("firm.rules", Rules.Replace("not known_or(will.exists, no)", "will.exists + 1", StringComparison.Ordinal)));

        Assert.Equal(2, refused.ExitCode);
        Assert.Matches(@"firm\.rules:3:\d+: ", refused.Error);
        Assert.Equal(before, (await cli.OkAsync("framework", "show")).Output);

        var saved = await cli.OkAsync("framework", "set", cli.WriteFile("good.rules", Rules));
        Assert.Contains("1 rules", saved.Output, StringComparison.Ordinal);
        Assert.Contains("estate.no-will", (await cli.OkAsync("framework", "rules")).Output, StringComparison.Ordinal);
        Assert.Contains("urgency 90, sensitivity 10", (await cli.OkAsync("framework", "move", "estate.no-will", "--urgency", "90", "--sensitivity", "10")).Output, StringComparison.Ordinal);
        Assert.Equal(2, (await cli.RunAsync("framework", "move", "estate.no-will", "--urgency", "120", "--sensitivity", "10")).ExitCode);
        Assert.Contains("0 households evaluated", (await cli.OkAsync("framework", "run")).Output, StringComparison.Ordinal);
        Assert.Contains("No alerts match.", (await cli.OkAsync("alerts", "list")).Output, StringComparison.Ordinal);
        Assert.Equal(3, (await cli.RunAsync("alerts", "acknowledge", "42")).ExitCode);
    }
}
