using Ensemble.Storage;

namespace Ensemble.Cli.Tests.Communications.Campaigns;

/// <summary>`ensemble campaigns`: write, fix, check, approve as compliance and send, through the real program.</summary>
public sealed class CampaignCommandTests
{
    [Fact]
    public async Task ACampaign_IsWrittenFixedApprovedByComplianceAndSentOnce_WithEveryProblemNamedAtItsPlace()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-campaigns-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "maria", "--name", "Maria Okafor", "--roles", "wealth-partner,compliance");
        await cli.OkAsync("staff", "add", "cora", "--name", "Cora Lind", "--roles", "compliance");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", """
            household_id,name,stage,tags,preferred_channels,do_not_contact
            HH-1,The Okafor Household,client,golf,email,no
            HH-2,The Lindqvist Household,client,golf;sailing,email,no
            HH-3,The Moreau Household,client,golf,email,yes
            HH-4,The Tanaka Household,client,sailing,email,no
            """));
        await cli.OkAsync("import", "members", cli.WriteFile("members.csv", """
            household_id,member_id,first_name,last_name,birth_date,relationship,email
            HH-1,P-1,Ada,Okafor,1975-05-01,primary,ada@okafor.example
            HH-2,P-2,Sven,Lindqvist,1968-02-11,primary,sven@lindqvist.example
            HH-3,P-3,Luc,Moreau,1971-09-30,primary,luc@moreau.example
            HH-4,P-4,Yuki,Tanaka,1980-01-15,primary,yuki@tanaka.example
            """));
        await cli.OkAsync("team", "set", "--household", "HH-1", "--role", "wealth-partner", "--holder", "maria");
        var body = cli.WriteFile("body.txt", "Dear {{ person.first_name }},\n\nSee you on the course,\n{{ advisr.name }}\n");

        var created = await cli.OkAsync("campaigns", "new", "--name", "Golf day", "--kind", "announcement", "--subject", "Golf day, {{ person.first_name }}",
            "--body-file", body, "--tag", "golf", "--as", "maria");
        var refused = await cli.RunAsync("campaigns", "submit", "1", "--as", "maria");

        Assert.Contains("Saved campaign #1 \"Golf day\" as a draft.", created.Output, StringComparison.Ordinal);
        Assert.Contains("body:4:4: Unknown merge field \"advisr.name\". Did you mean advisor.name?", created.Output, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--body:4:4: Unknown merge field", refused.Error, StringComparison.Ordinal);

        await cli.OkAsync("campaigns", "set", "1", "--body", "Dear {{ person.first_name }},\n\nSee you on the course.\n\n{{ advisor.name }}\n{{ firm.name }}", "--as", "maria");
        var audience = await cli.OkAsync("campaigns", "audience", "1");
        var missing = await cli.OkAsync("campaigns", "missing", "1");
        var preview = await cli.OkAsync("campaigns", "preview", "1", "HH-1");

        Assert.Contains("tagged golf: 3 households; 1 would get it (1 by email, 0 by letter, 0 in the portal).", audience.Output, StringComparison.Ordinal);
        Assert.Contains("1 do not contact", audience.Output, StringComparison.Ordinal);
        Assert.Contains("HH-2", missing.Output, StringComparison.Ordinal);
        Assert.Contains("No value for advisor.name", missing.Output, StringComparison.Ordinal);
        Assert.Contains("Subject: Golf day, Ada", preview.Output, StringComparison.Ordinal);
        Assert.Contains("Maria Okafor", preview.Output, StringComparison.Ordinal);

        await cli.OkAsync("campaigns", "submit", "1", "--as", "maria");
        var byAuthor = await cli.RunAsync("campaigns", "approve", "1", "--as", "maria");
        var withoutReason = await cli.RunAsync("campaigns", "reject", "1", "--as", "cora");
        await cli.OkAsync("campaigns", "approve", "1", "--comment", "Fine to send.", "--as", "cora");
        var sent = await cli.OkAsync("campaigns", "send", "1", "--as", "maria");
        var again = await cli.OkAsync("campaigns", "send", "1", "--as", "maria");
        var recipients = await cli.OkAsync("campaigns", "recipients", "1");
        var shown = await cli.OkAsync("campaigns", "show", "1");

        Assert.Equal(5, byAuthor.ExitCode);
        Assert.Contains("someone else in compliance must review it", byAuthor.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, withoutReason.ExitCode);
        Assert.Contains("queued 1 (1 email, 0 letter, 0 portal) of 3 in the audience", sent.Output, StringComparison.Ordinal);
        Assert.Contains("left out 1 do not contact, 0 invalid address, 1 missing a merge field", sent.Output, StringComparison.Ordinal);
        Assert.Contains("queued 0 ", again.Output, StringComparison.Ordinal);
        Assert.Contains("1 already queued before", again.Output, StringComparison.Ordinal);
        Assert.Contains("1 messages: 1 queued", recipients.Output, StringComparison.Ordinal);
        Assert.Contains("HH-1 The Okafor Household", recipients.Output, StringComparison.Ordinal);
        Assert.Contains("Approved by cora: Fine to send.", shown.Output, StringComparison.OrdinalIgnoreCase);
    }
}
