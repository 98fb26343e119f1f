using Ensemble.Storage;

namespace Ensemble.Cli.Tests.Advisory;

/// <summary>`ensemble follow-ups playbook`: show the quadrant playbooks, change one, refuse bad words by option, restore the defaults.</summary>
public sealed class FollowUpPlaybookCommandTests
{
    [Fact]
    public async Task APlaybook_IsShownChangedAndRestored_AndBadWordsAreRefusedNamingTheOption()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-playbook-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");

        var listed = (await cli.OkAsync("follow-ups", "playbook")).Output;
        Assert.Contains("urgent-service", listed, StringComparison.Ordinal);
        Assert.Contains("email, sms, letter, phone-call", listed, StringComparison.Ordinal);
        Assert.Contains("planned-advice", listed, StringComparison.Ordinal);

        var saved = await cli.OkAsync("follow-ups", "playbook", "urgent-service", "--channels", "letter, email,phone-call", "--action", "advisor-meeting", "--caller", "paraplanner", "--as", "maria");
        Assert.Contains("Playbook saved", saved.Output, StringComparison.Ordinal);
        var shown = (await cli.OkAsync("follow-ups", "playbook", "urgent-service")).Output;
        Assert.Contains("letter, email, phone-call", shown, StringComparison.Ordinal);
        Assert.Contains("advisor-meeting", shown, StringComparison.Ordinal);
        Assert.Contains("paraplanner", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("planned-advice", shown, StringComparison.Ordinal);

        var refused = await cli.RunAsync("follow-ups", "playbook", "urgent-service", "--channels", "email,pigeon", "--caller", "adviser");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--channels: 'pigeon' is not a channel; use email, sms, letter", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--caller: 'adviser' is not a role of the firm", refused.Error, StringComparison.Ordinal);
        var twice = await cli.RunAsync("follow-ups", "playbook", "self-service", "--channels", "newsletter,newsletter");
        Assert.Contains("--channels: 'newsletter' is listed more than once", twice.Error, StringComparison.Ordinal);
        var nowhere = await cli.RunAsync("follow-ups", "playbook", "someday", "--channels", "email");
        Assert.Contains("quadrant: 'someday' is not a quadrant; use urgent-advice", nowhere.Error, StringComparison.Ordinal);
        Assert.Equal(shown, (await cli.OkAsync("follow-ups", "playbook", "urgent-service")).Output);

        await cli.OkAsync("follow-ups", "playbook", "urgent-service", "--defaults", "--as", "maria");
        Assert.Contains("email, sms, letter, phone-call", (await cli.OkAsync("follow-ups", "playbook", "urgent-service")).Output, StringComparison.Ordinal);
    }
}
