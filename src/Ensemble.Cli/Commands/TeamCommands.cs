using System.CommandLine;
using Ensemble.Storage.Practice;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble team: who holds each role for a household (or the firm), and their backups.</summary>
internal static class TeamCommands
{
    public static Command Build()
    {
        var household = new Option<string?>("--household") { Description = "Household key, e.g. HH-1001." };
        var show = new Command("show", "Show a household's service team (or the firm-level role holders).") { household };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var key = parse.GetValue(household);
            var team = await new Teams(db, session.Clock).ShowAsync(key, cancellationToken);
            if (team.Count == 0)
            {
                return Output.Fail(key is null ? "No firm-level roles are assigned yet." : $"Household {key} has no team (or does not exist).");
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Role").AddColumn("Held by").AddColumn("Backups, in order").AddColumn("");
            foreach (var m in team)
            {
                table.AddRow(
                    Markup.Escape(m.Role), Markup.Escape($"{m.Name} ({m.Handle})"), Markup.Escape(string.Join(" → ", m.Backups)),
                    (m.AwayToday ? "[yellow]away today[/] " : "") + (m.FirmLevel && key is not null ? "[grey]firm-level[/]" : ""));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var role = new Option<string>("--role") { Description = "Role key.", Required = true };
        var holder = new Option<string>("--holder") { Description = "Staff handle of the person who holds the role.", Required = true };
        var backups = new Option<string?>("--backups") { Description = "Comma-separated handles, in the order they cover." };
        var firm = new Option<bool>("--firm") { Description = "Set the firm-level holder (practice work, and cover for households without the role)." };
        var set = new Command("set", "Set who holds a role for a household or the firm; open tasks for it move.") { role, holder, backups, household, firm };
        Runner.WithFirm(set, async (parse, session, db, cancellationToken) =>
        {
            var key = parse.GetValue(household);
            if (key is null == !parse.GetValue(firm))
            {
                return Output.Fail("Name either --household KEY or --firm.");
            }

            var backupList = parse.GetValue(backups) is null ? null : Parsing.List(parse.GetValue(backups));
            return Runner.Report(
                await new Teams(db, session.Clock).SetAsync(key, parse.GetValue(role)!, parse.GetValue(holder)!, backupList, session.Actor, cancellationToken),
                change => Output.Success($"{parse.GetValue(holder)} holds {parse.GetValue(role)} for {(key ?? "the firm")}; {change.TasksMoved} open task(s) moved."));
        });

        var from = new Option<string>("--from") { Description = "Handle of the current holder.", Required = true };
        var to = new Option<string>("--to") { Description = "Handle of the new holder.", Required = true };
        var reassign = new Command("reassign", "Hand a role from one person to another on one household or all of them; open tasks move.") { role, from, to, household };
        Runner.WithFirm(reassign, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new Teams(db, session.Clock).ReassignAsync(parse.GetValue(role)!, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(household), session.Actor, cancellationToken),
                change => Output.Success($"Reassigned {change.AssignmentsChanged} team role(s) from {parse.GetValue(from)} to {parse.GetValue(to)}; {change.TasksMoved} open task(s) moved.")));

        return new Command("team", "Service teams: roles, holders and backups.") { show, set, reassign };
    }
}
