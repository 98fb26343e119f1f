using Ensemble.ServiceModel;
using Ensemble.Storage;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Cli.Tests;

/// <summary>`ensemble reminders plan | list | feed` on a small firm, with the clock pinned to Tuesday 24 November 2026.</summary>
public sealed class ReminderCommandTests
{
    [Fact]
    public async Task PlanListAndFeed_RemindTheTeamOfABookedReview_AndWriteTheirCalendar()
    {
        var folder = Directory.CreateTempSubdirectory("ensemble-reminders-").FullName;
        var location = EnsembleDatabase.Describe(Path.Combine(folder, "firm.db"));
        var cli = new Cli(location);
        await cli.OkAsync("init", "--name", "Harbor Point Wealth", "--time-zone", "America/New_York");
        await cli.OkAsync("staff", "add", "maria", "--name", "Maria Okafor", "--roles", "wealth-partner");
        await cli.OkAsync("staff", "add", "tom", "--name", "Tom Becker", "--roles", "paraplanner");
        await cli.OkAsync("import", "households", cli.WriteFile("households.csv", """
            household_id,name,stage
            HH-1001,The Okafor Household,client
            """));
        await cli.OkAsync("team", "set", "--household", "HH-1001", "--role", "paraplanner", "--holder", "tom");
        await cli.OkAsync("team", "set", "--household", "HH-1001", "--role", "wealth-partner", "--holder", "maria");
        await using (var db = EnsembleDatabase.CreateContext(location))
        {
            var household = await db.Households.SingleAsync(h => h.Key == "HH-1001");
            var maria = await db.Staff.Where(s => s.Handle == "maria").Select(s => s.Id).SingleAsync();
            db.Actor = "admin";
            db.Touchpoints.Add(new Touchpoint(household.Id, 2026, 1, TouchpointKind.Review, new LocalDateTime(2026, 11, 27, 10, 0), 90, maria, null));
            await db.SaveChangesAsync();
        }

        var planned = await cli.OkAsync("reminders", "plan");
        var again = await cli.OkAsync("reminders", "plan");
        var list = await cli.OkAsync("reminders", "list", "tom");
        var ics = Path.Combine(cli.WorkingDirectory, "tom.ics");
        var feed = await cli.OkAsync("reminders", "feed", "tom", "--out", ics, "--url", "https://ensemble.example/");
        var nobody = await cli.RunAsync("reminders", "list", "nobody");

        // maria (the advisor and wealth partner) and tom (paraplanner): a week, a day and an hour before each.
        Assert.Contains("6 added, 0 updated, 0 removed", planned.Output, StringComparison.Ordinal);
        Assert.Contains("0 added, 0 updated, 0 removed", again.Output, StringComparison.Ordinal);
        Assert.Contains("Annual review: The Okafor Household — Fri 27 Nov 2026, 10:00", list.Output, StringComparison.Ordinal);
        Assert.Contains("due", list.Output, StringComparison.Ordinal);
        Assert.Contains("upcoming", list.Output, StringComparison.Ordinal);
        Assert.Contains("Wrote 1 meeting(s)", feed.Output, StringComparison.Ordinal);
        var calendar = Ical.Net.Calendar.Load(await File.ReadAllTextAsync(ics))!;
        var meeting = Assert.Single(calendar.Events);
        Assert.Contains("https://ensemble.example/households/HH-1001", meeting.Description, StringComparison.Ordinal);
        Assert.Equal(3, nobody.ExitCode);
        Assert.Contains("no staff member nobody", nobody.Error, StringComparison.Ordinal);
    }
}
