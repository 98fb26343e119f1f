using System.CommandLine;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble reminders plan | list | feed: meeting reminders and a person's calendar feed.</summary>
internal static class ReminderCommands
{
    public static Command Build()
    {
        var plan = new Command("plan", "Make sure every meeting in the next 8 days has its reminders (a week, a day, an hour before) for the people involved; safe to run any number of times.");
        Runner.WithFirm(plan, async (_, session, db, cancellationToken) =>
        {
            var report = await new MeetingReminders(db).PlanAsync(session.Clock.GetCurrentInstant(), cancellationToken);
            Output.Success($"Meeting reminders: {report.Added} added, {report.Updated} updated, {report.Removed} removed.");
            return Output.Ok;
        });

        var handle = new Argument<string>("handle") { Description = "The staff member's handle, e.g. maria." };
        var list = new Command("list", "A person's meeting reminders: those due now (not yet read) and those still to come.") { handle };
        Runner.WithFirm(list, async (parse, session, db, cancellationToken) =>
        {
            var staffId = await StaffIdAsync(db, parse.GetValue(handle)!, cancellationToken);
            if (staffId is not { } id)
            {
                return Output.Fail(Error.NotFound($"There is no staff member {parse.GetValue(handle)}; `ensemble staff list` shows them."));
            }

            var now = session.Clock.GetCurrentInstant();
            var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
            var reminders = await db.Notifications.AsNoTracking()
                .Where(n => n.StaffId == id && n.Kind == MeetingReminders.Kind && (n.ShowAt > now || n.ReadAt == null))
                .OrderBy(n => n.ShowAt)
                .ThenBy(n => n.Id)
                .Take(200)
                .ToListAsync(cancellationToken);
            if (reminders.Count == 0)
            {
                Output.Line("No meeting reminders due or to come.");
                return Output.Ok;
            }

            Output.FitWidth();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Shows").AddColumn("State").AddColumn("Meeting");
            foreach (var r in reminders)
            {
                var state = r.ShowAt <= now ? "[yellow]due[/]" : "upcoming";
                table.AddRow(Markup.Escape(r.ShowAt.InZone(zone).ToString("ddd uuuu-MM-dd HH:mm", null)), state, Markup.Escape(r.Title));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var feedHandle = new Argument<string>("handle") { Description = "The staff member's handle, e.g. maria." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the calendar to this file (default: print it)." };
        var url = new Option<string>("--url") { Description = "Where the web app is served, for the links in each meeting.", DefaultValueFactory = _ => "http://127.0.0.1:5080/" };
        var feed = new Command("feed", "Write a person's meetings as an iCalendar (.ics) file: a month back to a year ahead, with reminders.") { feedHandle, output, url };
        Runner.WithFirm(feed, async (parse, session, db, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var appUrl) || (appUrl.Scheme != Uri.UriSchemeHttp && appUrl.Scheme != Uri.UriSchemeHttps))
            {
                return Output.Fail($"--url: \"{parse.GetValue(url)}\" is not an http(s) address such as https://ensemble.example.com/.");
            }

            var staffId = await StaffIdAsync(db, parse.GetValue(feedHandle)!, cancellationToken);
            if (staffId is not { } id)
            {
                return Output.Fail(Error.NotFound($"There is no staff member {parse.GetValue(feedHandle)}; `ensemble staff list` shows them."));
            }

            var calendar = (await new CalendarFeed(db, session.Clock).ForStaffAsync(id, appUrl, cancellationToken))!;
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, calendar, cancellationToken);
                var events = calendar.Split("\r\n").Count(l => l == "BEGIN:VEVENT");
                Output.Success($"Wrote {events} meeting(s) to {file.FullName}.");
            }
            else
            {
                Console.Out.Write(calendar);
            }

            return Output.Ok;
        });

        return new Command("reminders", "Meeting reminders and calendar feeds.") { plan, list, feed };
    }

    private static Task<StaffId?> StaffIdAsync(EnsembleDb db, string handle, CancellationToken cancellationToken)
    {
        var name = handle.Trim().ToLowerInvariant();
        return db.Staff.AsNoTracking().Where(s => s.Handle == name).Select(s => (StaffId?)s.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
