using System.CommandLine;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble staff: people, the roles they hold, and time away.</summary>
internal static class StaffCommands
{
    public static Command Build()
    {
        var list = new Command("list", "List the firm's staff, their roles and absences.");
        Runner.WithFirm(list, async (_, session, db, cancellationToken) =>
        {
            var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
            var today = firm.Today(session.Clock);
            var staff = await db.Staff.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Handle").AddColumn("Name").AddColumn("Roles").AddColumn("Status").AddColumn("Away");
            foreach (var s in staff)
            {
                var status = !s.Active ? "[grey]left[/]" : s.IsAwayOn(today) ? "[yellow]away today[/]" : "[green]in[/]";
                var away = string.Join(", ", s.Absences.Where(a => a.To >= today).Select(a => $"{a.From:uuuu-MM-dd}..{a.To:uuuu-MM-dd}"));
                table.AddRow(Markup.Escape(s.Handle), Markup.Escape(s.Name), Markup.Escape(string.Join(", ", s.Roles)), status, Markup.Escape(away));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var handle = new Argument<string>("handle") { Description = "Short sign-in name, e.g. maria." };
        var name = new Option<string>("--name") { Description = "Full name.", Required = true };
        var email = new Option<string?>("--email") { Description = "Email address." };
        var roles = new Option<string?>("--roles") { Description = "Comma-separated role keys, e.g. paraplanner,client-service-associate." };
        var add = new Command("add", "Add a member of staff.") { handle, name, email, roles };
        Runner.WithFirm(add, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new StaffDirectory(db, session.Clock).AddAsync(parse.GetValue(handle)!, parse.GetValue(name)!, parse.GetValue(email) ?? "", Parsing.List(parse.GetValue(roles)), session.Actor, cancellationToken),
                s => Output.Success($"Added {s.Name} ({s.Handle}){(s.Roles.Count > 0 ? " as " + string.Join(", ", s.Roles) : "")}.")));

        var role = new Argument<string>("role") { Description = "Role key." };
        var grant = new Command("grant", "Let someone hold a role.") { handle, role };
        Runner.WithFirm(grant, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new StaffDirectory(db, session.Clock).GrantRoleAsync(parse.GetValue(handle)!, parse.GetValue(role)!, session.Actor, cancellationToken),
                s => Output.Success($"{s.Name} now holds: {string.Join(", ", s.Roles)}.")));

        var from = new Option<string>("--from") { Description = "First day away (yyyy-MM-dd).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day away (yyyy-MM-dd).", Required = true };
        var note = new Option<string?>("--note") { Description = "E.g. vacation, conference." };
        var away = new Command("away", "Record time out of office; open work due in it moves to backups.") { handle, from, to, note };
        Runner.WithFirm(away, async (parse, session, db, cancellationToken) =>
        {
            var start = Parsing.Date(parse.GetValue(from)!, "--from");
            var end = Parsing.Date(parse.GetValue(to)!, "--to");
            if (!start.IsSuccess || !end.IsSuccess)
            {
                return Output.Fail((start.Error ?? end.Error)!);
            }

            return Runner.Report(
                await new StaffDirectory(db, session.Clock).MarkAwayAsync(parse.GetValue(handle)!, start.Value, end.Value, parse.GetValue(note), session.Actor, cancellationToken),
                moved =>
                {
                    Output.Success($"{parse.GetValue(handle)} is away {start.Value:uuuu-MM-dd} to {end.Value:uuuu-MM-dd}; {moved.Count} open task(s) due then moved to backups.");
                    foreach (var t in moved)
                    {
                        Output.Line($"  task {t.Id} {t.Title}: {t.RoutingNote}");
                    }
                });
        });

        var leave = new Command("leave", "Record that someone has left the firm; their open work moves to backups.") { handle };
        Runner.WithFirm(leave, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new StaffDirectory(db, session.Clock).DepartAsync(parse.GetValue(handle)!, session.Actor, cancellationToken),
                moved => Output.Success($"{parse.GetValue(handle)} has left; {moved.Count} open task(s) moved. Hand their roles on with `ensemble team reassign`.")));

        return new Command("staff", "The people of the firm.") { list, add, grant, away, leave };
    }
}
