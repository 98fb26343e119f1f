using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Cli.Tests;

/// <summary>`ensemble tokens`: an operator issues an integration's API token from the command line, sees it listed, and revokes it.</summary>
public sealed class TokenCommandTests
{
    [Fact]
    public async Task Issue_ShowsTheTokenOnce_StoresOnlyItsHash_AndRevokeMarksItRevoked()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-tokens-").FullName;
        var location = EnsembleDatabase.Describe(Path.Combine(folder, "firm.db"));
        var cli = new Cli(location);
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner");

        var issued = await cli.OkAsync("tokens", "issue", "tom", "--name", "custodian feed");
        var token = Regex.Match(issued.Output, @"ens_[A-Za-z0-9_-]{40,}").Value;
        var listed = await cli.OkAsync("tokens", "list", "tom");
        await cli.OkAsync("tokens", "revoke", "1");
        var unknown = await cli.RunAsync("tokens", "issue", "nobody", "--name", "x");

        Assert.NotEmpty(token);
        Assert.Contains("custodian feed", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.Output, StringComparison.Ordinal);
        await using var db = EnsembleDatabase.CreateContext(location, NodaTime.SystemClock.Instance);
        var row = await db.ApiTokens.SingleAsync();
        Assert.Equal(ApiTokenSecrets.HashOf(token), row.Hash);
        Assert.NotNull(row.RevokedAt);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("No one at the firm has the handle nobody", unknown.All, StringComparison.Ordinal);
    }
}
