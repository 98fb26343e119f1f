using Ensemble.Storage;

namespace Ensemble.Cli.Tests;

/// <summary>`ensemble sign-in`: someone who lost the password printed at first start gets a new one, and the audit trail never holds it.</summary>
public sealed class SignInCommandTests
{
    [Fact]
    public async Task Reset_GivesAStaffMemberASignIn_RecordedWithoutTheSecret()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-signin-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner");

        var before = await cli.OkAsync("sign-in", "list");
        var reset = await cli.OkAsync("sign-in", "reset", "tom", "--password", "a-long-enough-secret");
        var after = await cli.OkAsync("sign-in", "list");
        var audit = await cli.OkAsync("audit", "log", "--limit", "5");

        Assert.Matches(@"tom\s*│\s*Tom Becker\s*│\s*none", before.Output);
        Assert.Contains("Tom Becker can sign in as tom", reset.Output, StringComparison.Ordinal);
        Assert.Matches(@"tom\s*│\s*Tom Becker\s*│\s*yes", after.Output);
        Assert.Contains("reset-sign-in", audit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-secret", audit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", audit.Output, StringComparison.Ordinal); // the start of every Identity v3 hash
    }

    [Fact]
    public async Task Reset_RefusesAShortPassword_AndAnUnknownHandle()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-signin-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner");

        var tooShort = await cli.RunAsync("sign-in", "reset", "tom", "--password", "short");
        var unknown = await cli.RunAsync("sign-in", "reset", "nobody");

        Assert.NotEqual(0, tooShort.ExitCode);
        Assert.Contains("12 characters", tooShort.All, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("nobody", unknown.All, StringComparison.Ordinal);
    }
}
