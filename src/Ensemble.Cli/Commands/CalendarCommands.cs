using System.CommandLine;
using System.Globalization;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble calendar: lay out the yearly service calendar, look at it, and mark meetings held or cancelled.</summary>
internal static class CalendarCommands
{
    public static Command Build()
    {
        var command = new Command("calendar", "The yearly service calendar: each tiered client's meetings, with their preparation and follow-up work.")
        {
            LayOut(), Show(), Held(), BookNext(), Cancel(), Advisor(),
        };
        return command;
    }

    private static Command LayOut()
    {
        var year = new Option<int>("--year") { Description = "The service year to lay out, e.g. 2027.", Required = true };
        var household = new Option<string?>("--household") { Description = "Lay out one household only (its key, e.g. HH-1001)." };
        var command = new Command("lay-out", "Place every tiered client's meetings for a year and start their processes (safe to run again).") { year, household };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var result = await new ServiceCalendar(db, session.Clock).LayOutAsync(parse.GetValue(year), parse.GetValue(household), session.Actor, cancellationToken);
            return Runner.Report(result, Summary);
        });
        return command;
    }

    private static void Summary(LayOutReport report)
    {
        Output.Success($"Laid out {report.Year} for {Count(report.Households)} client household(s).");
        var grid = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
        grid.AddRow("Meetings placed", Count(report.Placed));
        grid.AddRow("Already in the calendar", Count(report.AlreadyThere));
        grid.AddRow("Processes started", Count(report.ProcessesStarted));
        grid.AddRow("Review months given", Count(report.ReviewMonthsAssigned));
        grid.AddRow("Unsegmented (no calendar)", Count(report.Unsegmented));
        grid.AddRow(report.Unplaced.Count > 0 ? "[red]Could not be placed[/]" : "Could not be placed", Count(report.Unplaced.Count));
        AnsiConsole.Write(new Panel(grid).Header("Service calendar").Border(BoxBorder.Rounded));

        if (report.Unplaced.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Not placed (the rest are)")
                .AddColumn("Household").AddColumn("Meeting").AddColumn("Why");
            foreach (var line in report.Unplaced)
            {
                table.AddRow(Markup.Escape($"{line.HouseholdKey} {line.HouseholdName}"), Markup.Escape($"#{line.Sequence} {TouchpointView.KindName(line.Kind)}"), Markup.Escape(line.Reason));
            }

            AnsiConsole.Write(table);
        }

        foreach (var note in report.Notes)
        {
            Output.Line("Note: " + note);
        }
    }

    private static Command Show()
    {
        var key = new Argument<string>("household") { Description = "The household's key, e.g. HH-1001." };
        var year = new Option<int?>("--year") { Description = "One service year (default: all)." };
        var command = new Command("show", "A household's meetings: when, what, with whom, and how far each one's process has come.") { key, year };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var household = await db.Households.AsNoTracking().Where(h => h.Key == parse.GetValue(key)).Select(h => new { h.Id, h.Key, h.Name, h.ReviewMonth }).SingleOrDefaultAsync(cancellationToken);
            if (household is null)
            {
                return Output.Fail(Error.NotFound($"There is no household {parse.GetValue(key)}."));
            }

            var meetings = await new ServiceCalendarViews(db).ForHouseholdAsync(household.Id, parse.GetValue(year), cancellationToken);
            AnsiConsole.Write(new Rule(Markup.Escape($"{household.Name} ({household.Key})"
                + (household.ReviewMonth is { } m ? $" — reviews in {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m)}" : ""))).LeftJustified());
            Meetings(meetings, showHousehold: false, $"No meetings{(parse.GetValue(year) is { } y ? $" in {y}" : "")}; `ensemble calendar lay-out --year YYYY --household {household.Key}` places them.");
            return Output.Ok;
        });
        return command;
    }

    private static Command Held()
    {
        var id = new Argument<long>("meeting") { Description = "The meeting's number (from `calendar show`)." };
        var note = new Option<string?>("--note") { Description = "What was discussed or agreed." };
        var bookNext = new Option<bool>("--book-next") { Description = "Also book the proposed next meeting and start its process." };
        var command = new Command("held", "Mark a meeting held; shows the next meeting the household's tier calls for.") { id, note, bookNext };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var result = await new ServiceCalendar(db, session.Clock).MarkHeldAsync(new TouchpointId(parse.GetValue(id)), parse.GetValue(note), parse.GetValue(bookNext), session.Actor, cancellationToken);
            return Runner.Report(result, outcome =>
            {
                Output.Success($"Marked held: {outcome.Held.Title} with {outcome.Held.HouseholdKey} on {Output.Date(outcome.Held.Date)}.");
                if (outcome.Booked is { } booked)
                {
                    Output.Success($"Booked next: {booked.Title} on {booked.StartsAt.ToString("ddd uuuu-MM-dd HH:mm", null)} (meeting {booked.Id}, process #{booked.ProcessId}).");
                }
                else if (outcome.Next is { } next)
                {
                    Output.Line("Next: " + next.Describe() + (next.CanBook ? $" Book it with `ensemble calendar book-next {outcome.Held.Id}`." : ""));
                }
                else
                {
                    Output.Line("The household is not in a service tier, so no next meeting is due.");
                }
            });
        });
        return command;
    }

    private static Command BookNext()
    {
        var id = new Argument<long>("meeting") { Description = "The meeting the next one follows." };
        var command = new Command("book-next", "Book the meeting that follows this one in line with the household's tier, and start its process.") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new ServiceCalendar(db, session.Clock).BookNextAsync(new TouchpointId(parse.GetValue(id)), session.Actor, cancellationToken),
                m => Output.Success($"Booked {m.Title} with {m.HouseholdKey} on {m.StartsAt.ToString("ddd uuuu-MM-dd HH:mm", null)} (meeting {m.Id}, process #{m.ProcessId}).")));
        return command;
    }

    private static Command Cancel()
    {
        var id = new Argument<long>("meeting") { Description = "The meeting's number (from `calendar show`)." };
        var reason = new Option<string>("--reason") { Description = "Why the meeting is cancelled.", Required = true };
        var command = new Command("cancel", "Cancel a planned meeting; its preparation process is cancelled with it.") { id, reason };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new ServiceCalendar(db, session.Clock).CancelAsync(new TouchpointId(parse.GetValue(id)), parse.GetValue(reason), session.Actor, cancellationToken),
                m => Output.Success($"Cancelled {m.Title} with {m.HouseholdKey} on {Output.Date(m.Date)}{(m.ProcessId is { } p ? $"; process #{p} cancelled" : "")}.")));
        return command;
    }

    private static Command Advisor()
    {
        var handle = new Argument<string>("handle") { Description = "The advisor's staff handle, e.g. david." };
        var month = new Option<string>("--month") { Description = "The month, as yyyy-MM, e.g. 2027-03.", Required = true };
        var command = new Command("advisor", "An advisor's meetings in a month, day by day.") { handle, month };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var which = ServiceCalendarViews.ParseMonth(parse.GetValue(month), "--month");
            if (!which.IsSuccess)
            {
                return Output.Fail(which.Error!);
            }

            var person = await db.Staff.AsNoTracking().Where(s => s.Handle == parse.GetValue(handle)!.Trim().ToLower()).Select(s => new { s.Id, s.Name }).SingleOrDefaultAsync(cancellationToken);
            if (person is null)
            {
                return Output.Fail(Error.NotFound($"There is no staff member \"{parse.GetValue(handle)}\"; `ensemble staff list` shows them."));
            }

            var meetings = await new ServiceCalendarViews(db).ForAdvisorAsync(person.Id, which.Value.Year, which.Value.Month, cancellationToken);
            var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
            var busiest = meetings.Where(m => m.Status != TouchpointStatus.Cancelled).GroupBy(m => m.Date).Select(g => g.Count()).DefaultIfEmpty(0).Max();
            AnsiConsole.Write(new Rule(Markup.Escape($"{person.Name}: {which.Value.ToString("MMMM uuuu", CultureInfo.InvariantCulture)}")).LeftJustified());
            Meetings(meetings, showHousehold: true, "No meetings this month.");
            Output.Line($"{meetings.Count(m => m.Status != TouchpointStatus.Cancelled)} meeting(s); at most {busiest} on one day (limit {settings.MeetingsPerAdvisorPerDay}).");
            return Output.Ok;
        });
        return command;
    }

    private static void Meetings(IReadOnlyList<TouchpointView> meetings, bool showHousehold, string empty)
    {
        if (meetings.Count == 0)
        {
            Output.Line(empty);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("When").AddColumn("Meeting");
        if (showHousehold)
        {
            table.AddColumn("Household");
        }

        table.AddColumn("Advisor").AddColumn("Status").AddColumn("Process");
        foreach (var m in meetings)
        {
            var status = m.Status switch
            {
                TouchpointStatus.Held => "[green]held[/]",
                TouchpointStatus.Cancelled => "[grey]cancelled[/]",
                _ => "planned",
            };
            var cells = new List<string>
            {
                m.Id.ToString(CultureInfo.InvariantCulture),
                Markup.Escape($"{m.StartsAt.ToString("ddd uuuu-MM-dd HH:mm", null)} ({m.Minutes} min)"),
                Markup.Escape($"{m.Title} · {m.Year} #{m.Sequence}"),
            };
            if (showHousehold)
            {
                cells.Add(Markup.Escape($"{m.HouseholdKey} {m.HouseholdName}"));
            }

            cells.Add(Markup.Escape(m.Advisor ?? "—"));
            cells.Add(status);
            cells.Add(Markup.Escape(m.ProcessId is { } p ? $"#{p} {m.ProcessStatus?.ToString().ToLowerInvariant()}" : "not started"));
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
