using System.IO.Compression;
using Ensemble.Communications;
using Ensemble.Communications.FormAdv;
using Ensemble.Storage;
using Ensemble.Storage.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Testing;

namespace Ensemble.Cli.Tests.Communications.FormAdv;

/// <summary>
/// The command line a compliance officer uses: who is still owed this year's Form ADV, the archive searched, read and
/// exported, the retention setting checked, and a person's email choices.
/// </summary>
public sealed class FormAdvCommandTests
{
    [Fact]
    public async Task FormAdvStatus_ListsWhoIsStillOwed_AndTheArchiveShowsWhatWentOut()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-form-adv-").FullName;
        var location = EnsembleDatabase.Describe(Path.Combine(folder, "firm.db"));
        var cli = new Cli(location);
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", """
            household_id,name,stage
            HH-1,The Okafor Household,client
            HH-2,The Lindqvist Household,client
            HH-3,The Moreau Household,prospect
            """));
        var id = await SendFormAdvAsync(location, "HH-1", Instant.FromUtc(2026, 3, 2, 15, 0));

        var owed = await cli.OkAsync("form-adv", "status");
        var all = await cli.OkAsync("form-adv", "status", "--all", "--csv", "form-adv.csv");
        var found = await cli.OkAsync("archive", "search", "--kind", "form-adv");
        var shown = await cli.OkAsync("archive", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var exported = await cli.OkAsync("archive", "export", "HH-1", "--out", "hh-1.zip");

        Assert.Contains("Form ADV, fiscal year 2025 (ended 2025-12-31): deliver by 2026-04-30", owed.Output, StringComparison.Ordinal);
        Assert.Contains("2 client households: 1 delivered, 0 delivered late, 0 owed, 1 overdue.", owed.Output, StringComparison.Ordinal);
        Assert.Contains("HH-2", owed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("HH-1 ", owed.Output, StringComparison.Ordinal);
        Assert.Contains("2026-03-02", all.Output, StringComparison.Ordinal);
        var csv = await File.ReadAllLinesAsync(Path.Combine(cli.WorkingDirectory, "form-adv.csv"));
        Assert.Equal(3, csv.Length);
        Assert.Contains(csv, l => l.StartsWith("2025,2025-12-31,2026-04-30,HH-1,The Okafor Household,delivered,2026-03-02,email", StringComparison.Ordinal));
        Assert.Contains("Our Form ADV brochure", found.Output, StringComparison.Ordinal);
        Assert.Contains("Message-ID:  <" + MessageIds.For("cli-test:HH-1") + ">", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Please find our brochure enclosed.", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Wrote 1 message(s) of HH-1", exported.Output, StringComparison.Ordinal);
        using var zip = ZipFile.OpenRead(Path.Combine(cli.WorkingDirectory, "hh-1.zip"));
        Assert.Equal(2, zip.Entries.Count);
    }

    [Fact]
    public async Task Settings_RefuseAPeriodShorterThanTheRule_AndPreferencesAreSetPerPerson()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-archive-settings-").FullName;
        var cli = new Cli(EnsembleDatabase.Describe(Path.Combine(folder, "firm.db")));
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner", "--email", "tom@harborpoint.example");

        var tooShort = await cli.RunAsync("archive", "settings", "--retention-years", "3");
        var set = await cli.OkAsync("archive", "settings", "--retention-years", "7", "--fiscal-year-end", "03-31");
        var off = await cli.OkAsync("notifications", "preferences", "tom", "--daily-digest", "off");
        var wrong = await cli.RunAsync("notifications", "preferences", "tom", "--meeting-reminders", "maybe");

        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("--retention-years:", tooShort.Error, StringComparison.Ordinal);
        Assert.Contains("7 years from sending", set.Output, StringComparison.Ordinal);
        Assert.Contains("03-31", set.Output, StringComparison.Ordinal);
        Assert.Contains("Daily digest:       off", off.Output, StringComparison.Ordinal);
        Assert.Contains("Meeting reminders:  on", off.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--meeting-reminders: \"maybe\" is not on or off.", wrong.Error, StringComparison.Ordinal);
    }

    private static async Task<long> SendFormAdvAsync(DatabaseLocation location, string key, Instant at)
    {
        await using var db = EnsembleDatabase.CreateContext(location, new FakeClock(at));
        var household = await db.Households.Where(h => h.Key == key).Select(h => h.Id).SingleAsync();
        var envelope = new OutboxEnvelope($"cli-test:{key}", FormAdvYear.Kind, DeliveryChannel.Email, "Ada Okafor", "ada@mail.example", "Our Form ADV brochure",
            "Dear Ada,\n\nPlease find our brochure enclosed.", null, household);
        db.Actor = "cli-tests";
        await OutboxQueue.AddAsync(db, [envelope], at);
        await db.SaveChangesAsync();
        var message = await db.Outbox.SingleAsync(m => m.Key == envelope.Key);
        message.Claim("cli-tests", at + Duration.FromMinutes(1));
        message.MarkSent(at, OutboxQueue.DefaultRetention);
        await db.SaveChangesAsync();
        return message.Id;
    }
}
