using System.CommandLine;
using System.Globalization;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Households;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble follow-ups: how alerts are followed up by quadrant — list, run, a person's digest, take one up, the budget, the playbooks, the report.</summary>
internal static class FollowUpCommands
{
    public static Command Build() =>
        new("follow-ups", "How alerts are followed up: a task for the right role within each person's daily budget, a point on the next meeting's agenda, or a message queued for the client.")
        {
            List(), Run(), Digest(), TakeUp(), Budget(), FollowUpPlaybookCommand.Build(), Report(),
        };

    private static Command List()
    {
        var household = new Option<string?>("--household") { Description = "Only this household's follow-ups (its key, e.g. HH-1001)." };
        var person = new Option<string?>("--person") { Description = "Only those whose task or digest place is this person's (a staff handle)." };
        var status = new Option<string?>("--status") { Description = FollowUpStatuses.Choices + "; default open." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 100, Description = "At most this many lines." };
        var list = new Command("list", "Follow-ups, most urgent first: the alert, the channel and why, and what happened.") { household, person, status, limit };
        Runner.WithFirm(list, async (parse, session, db, cancellationToken) =>
        {
            if (FollowUpFilter.ParseStatus(parse.GetValue(status)) is not { } parsed)
            {
                return Output.Fail($"--status: \"{parse.GetValue(status)}\" is not a status; use {FollowUpStatuses.Choices}.");
            }

            HouseholdId? householdId = null;
            if (parse.GetValue(household) is { } key)
            {
                householdId = await new HouseholdDirectory(db, session.Clock).IdOfAsync(key, cancellationToken);
                if (householdId is null)
                {
                    return Output.Fail(Error.NotFound($"There is no household {key}."));
                }
            }

            StaffId? staffId = null;
            if (parse.GetValue(person) is { } handle)
            {
                staffId = await StaffOfAsync(db, handle, cancellationToken);
                if (staffId is null)
                {
                    return Output.Fail(Error.NotFound($"There is no staff member \"{handle}\"."));
                }
            }

            var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var filter = new FollowUpFilter(householdId, staffId, parsed.Status, parsed.All);
            var views = new FollowUpViews(db);
            var lines = await views.ListAsync(framework, filter, parse.GetValue(limit), cancellationToken: cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("No follow-ups match.");
                return Output.Ok;
            }

            Table(lines);
            var total = await views.CountAsync(filter, cancellationToken: cancellationToken);
            if (total > lines.Count)
            {
                Output.Line($"{lines.Count} of {total:N0} shown; narrow with --household, --person or --status, or raise --limit.");
            }

            return Output.Ok;
        });
        return list;
    }

    private static Command Run()
    {
        var run = new Command("run", "Follow up every new alert that has none yet, and close follow-ups whose alert, process or meeting is over. Running it again does nothing new.");
        Runner.WithFirm(run, async (parse, session, db, cancellationToken) =>
        {
            var report = await new FollowUpRunner(db, session.Clock).RunAsync(session.Actor, cancellationToken);
            Output.Success(report.Summary);
            if (report.ToDigest > 0)
            {
                Output.Line("Each person's digest: `ensemble follow-ups digest --person HANDLE`.");
            }

            return Output.Ok;
        });
        return run;
    }

    private static Command Digest()
    {
        var person = new Option<string?>("--person") { Description = "Whose digest (a staff handle); default the --as person." };
        var digest = new Command("digest", "What waits in a person's follow-up digest beyond the day's budget, most urgent first.") { person };
        Runner.WithFirm(digest, async (parse, session, db, cancellationToken) =>
        {
            var handle = parse.GetValue(person) ?? session.Actor;
            if (await StaffOfAsync(db, handle, cancellationToken) is not { } staffId)
            {
                return Output.Fail(Error.NotFound($"There is no staff member \"{handle}\"; name one with --person or --as."));
            }

            var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var lines = await new FollowUpViews(db).DigestAsync(framework, staffId, cancellationToken);
            var budget = (await FollowUpSettingsStore.GetAsync(db, cancellationToken)).TasksPerPersonPerDay;
            if (lines.Count == 0)
            {
                Output.Line($"{handle}'s digest is empty: every follow-up fitted within the daily budget of {budget}.");
                return Output.Ok;
            }

            Output.Line($"{handle}'s digest: {lines.Count} follow-up{(lines.Count == 1 ? "" : "s")} beyond the daily budget of {budget}, most urgent first. Take one up with `ensemble follow-ups take-up ID`.");
            Table(lines);
            return Output.Ok;
        });
        return digest;
    }

    private static Command TakeUp()
    {
        var id = new Argument<long>("follow-up") { Description = "The follow-up's number, as `follow-ups digest` shows it." };
        var takeUp = new Command("take-up", "Take a follow-up up from a digest now: its process starts and the task goes to the role on the household's team.") { id };
        Runner.WithFirm(takeUp, async (parse, session, db, cancellationToken) =>
            Runner.Report(await new FollowUpBook(db, session.Clock).TakeUpAsync(parse.GetValue(id), session.Actor, cancellationToken), v => Output.Success(v.Outcome)));
        return takeUp;
    }

    private static Command Budget()
    {
        var tasks = new Option<int?>("--tasks-per-day") { Description = $"Follow-up tasks one person gets a day before the rest go to their digest (0 to {FollowUpSettings.MaxTasksPerPersonPerDay})." };
        var response = new Option<int?>("--response-days") { Description = "The report's response window in days (default 14)." };
        var reopen = new Option<int?>("--reopen-days") { Description = "The report's re-open window in days (default 90)." };
        var budget = new Command("settings", "Show the follow-up settings, or change them (audited): the daily noise budget and the report's windows.") { tasks, response, reopen };
        Runner.WithFirm(budget, async (parse, session, db, cancellationToken) =>
        {
            var current = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
            if (parse.GetValue(tasks) is null && parse.GetValue(response) is null && parse.GetValue(reopen) is null)
            {
                Print(current);
                return Output.Ok;
            }

            var wanted = current with
            {
                TasksPerPersonPerDay = parse.GetValue(tasks) ?? current.TasksPerPersonPerDay,
                ResponseDays = parse.GetValue(response) ?? current.ResponseDays,
                ReopenDays = parse.GetValue(reopen) ?? current.ReopenDays,
            };
            return Runner.Report(await FollowUpSettingsStore.SaveAsync(db, wanted, session.Actor, cancellationToken), s =>
            {
                Output.Success("Follow-up settings saved.");
                Print(s);
            });
        });
        return budget;
    }

    private static Command Report()
    {
        var days = new Option<int>("--days") { DefaultValueFactory = _ => FollowUpReport.DefaultDays, Description = "Alerts raised in the last this many days." };
        var csv = new Option<string?>("--csv") { Description = "Also write the report to this CSV file." };
        var report = new Command("report", "Per alert type and channel: response rate, median days to resolution, re-open rate; and which types to move on the canvas.") { days, csv };
        Runner.WithFirm(report, async (parse, session, db, cancellationToken) =>
        {
            if (parse.GetValue(days) is < 1 or > 3660)
            {
                return Output.Fail("--days: between 1 and 3660.");
            }

            var view = await new FollowUpReport(db, session.Clock).BuildAsync(parse.GetValue(days), cancellationToken);
            if (view.Rows.Count == 0)
            {
                Output.Line($"No alerts were raised from {view.From:uuuu-MM-dd} to {view.To:uuuu-MM-dd}.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Alert type").AddColumn("Channel")
                .AddColumn(new TableColumn("Raised").RightAligned()).AddColumn(new TableColumn("Response").RightAligned())
                .AddColumn(new TableColumn("Median days").RightAligned()).AddColumn(new TableColumn("Re-open").RightAligned());
            foreach (var r in view.Rows)
            {
                table.AddRow(Markup.Escape($"{r.Title}: {r.VariantLabel}"), Markup.Escape(r.Channel), r.Raised.ToString("N0", CultureInfo.InvariantCulture),
                    Percent(r.ResponseRate, r.Measured), r.MedianDaysToResolution?.ToString("0.0", CultureInfo.InvariantCulture) ?? "–", Percent(r.ReopenRate, r.Resolved));
            }

            AnsiConsole.Write(table);
            foreach (var definition in view.Definitions)
            {
                Output.Line("  " + definition);
            }

            if (view.Suggestions.Count == 0)
            {
                Output.Line("No type needs moving on the canvas on these figures.");
            }

            foreach (var s in view.Suggestions)
            {
                Output.Success($"Move {s.Type} ({s.Title}: {s.VariantLabel}) from urgency {s.FromUrgency:0}/sensitivity {s.FromSensitivity:0} to {s.ToUrgency:0}/{s.ToSensitivity:0}: {s.Why}");
            }

            if (parse.GetValue(csv) is { } path)
            {
                await using var file = new StreamWriter(path);
                FollowUpReportCsv.Write(file, view);
                Output.Line($"Wrote {path}.");
            }

            return Output.Ok;
        });
        return report;
    }

    private static void Table(IReadOnlyList<FollowUpView> lines)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Follow-up").AddColumn("Household").AddColumn("Alert").AddColumn("Channel").AddColumn("Status").AddColumn("What happens");
        foreach (var f in lines)
        {
            table.AddRow(f.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape($"{f.HouseholdKey} {f.HouseholdName}"), Markup.Escape($"#{f.AlertId} {f.Title}: {f.VariantLabel}"),
                Markup.Escape(f.ChannelName), Markup.Escape(f.StatusName), Markup.Escape(f.Outcome));
        }

        AnsiConsole.Write(table);
    }

    private static void Print(FollowUpSettings s)
    {
        Output.Line($"  Follow-up tasks per person per day: {s.TasksPerPersonPerDay} (the rest go to the person's daily digest, ranked)");
        Output.Line($"  Report response window:             {s.ResponseDays} days");
        Output.Line($"  Report re-open window:              {s.ReopenDays} days");
        Output.Line("  Playbooks by quadrant:              `ensemble follow-ups playbook`");
    }

    private static string Percent(double? share, int of) => share is { } s ? $"{s * 100:0}% of {of}" : "–";

    private static Task<StaffId?> StaffOfAsync(EnsembleDb db, string handle, CancellationToken cancellationToken)
    {
        var name = handle.Trim().ToLowerInvariant();
        return db.Staff.AsNoTracking().Where(s => s.Handle == name).Select(s => (StaffId?)s.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
