using System.CommandLine;
using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble init, roles and holidays.</summary>
internal static class FirmCommands
{
    public static Command Init()
    {
        var name = new Option<string>("--name") { Description = "The firm's name.", Required = true };
        var zone = new Option<string>("--time-zone") { Description = "IANA time zone for due dates.", DefaultValueFactory = _ => "America/New_York" };
        var noLibrary = new Option<bool>("--no-library") { Description = "Start with no workflow templates instead of the built-in library." };
        var command = new Command("init", "Create a firm in a new database, with the standard roles and the workflow library.") { name, zone, noLibrary };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var session = Session.From(parse);
            await EnsembleDatabase.MigrateAsync(session.Location, cancellationToken);
            await using var db = session.Open();
            var firm = await new FirmSetup(db).InitializeAsync(parse.GetValue(name)!, parse.GetValue(zone)!, session.Actor, cancellationToken);
            if (!firm.IsSuccess)
            {
                return Output.Fail(firm.Error!);
            }

            var templates = 0;
            if (!parse.GetValue(noLibrary))
            {
                var imported = await new TemplateLibrary(db, session.Clock).ImportTextsAsync(BuiltInLibrary.Texts(), session.Actor, cancellationToken);
                if (!imported.IsSuccess)
                {
                    return Output.Fail(imported.Error!);
                }

                templates = imported.Value.Count;
            }

            Output.Success($"Created {firm.Value.Name} ({firm.Value.TimeZoneId}) in {session.Location} with {RoleKeys.Defaults.Count} roles and {templates} workflow templates.");
            Output.Line("Next: add staff (`ensemble staff add`), import households (`ensemble import households FILE`), and set teams (`ensemble team set`).");
            return Output.Ok;
        });
        return command;
    }

    public static Command Roles()
    {
        var list = new Command("list", "List the firm's roles.");
        Runner.WithFirm(list, async (_, _, db, cancellationToken) =>
        {
            var roles = await db.Roles.AsNoTracking().OrderBy(r => r.Scope).ThenBy(r => r.Key).ToListAsync(cancellationToken);
            var holders = await db.Staff.AsNoTracking().Where(s => s.Active).Select(s => s.Roles).ToListAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Key").AddColumn("Name").AddColumn("Scope").AddColumn("People").AddColumn("Description");
            foreach (var role in roles)
            {
                var count = holders.Count(h => h.Contains(role.Key));
                var people = count < 3 && role.Scope == RoleScope.Household ? $"[yellow]{count}[/]" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                table.AddRow(Markup.Escape(role.Key), Markup.Escape(role.Name), role.Scope.ToString(), people, Markup.Escape(role.Description));
            }

            AnsiConsole.Write(table);
            Output.Line("Client-service roles held by fewer than three people are shown in yellow: they need more cover.");
            return Output.Ok;
        });

        var key = new Argument<string>("key") { Description = "Role key, e.g. tax-specialist." };
        var name = new Option<string?>("--name") { Description = "Display name." };
        var description = new Option<string?>("--description") { Description = "What the role does." };
        var firmLevel = new Option<bool>("--firm-level") { Description = "Held once for the whole firm rather than per household." };
        var add = new Command("add", "Add a role of the firm's own.") { key, name, description, firmLevel };
        Runner.WithFirm(add, async (parse, session, db, cancellationToken) =>
            Runner.Report(
                await new FirmSetup(db).AddRoleAsync(parse.GetValue(key)!, parse.GetValue(name) ?? "", parse.GetValue(description) ?? "", parse.GetValue(firmLevel) ? RoleScope.Firm : RoleScope.Household, session.Actor, cancellationToken),
                role => Output.Success($"Added the role {role.Key}.")));

        return new Command("roles", "The roles work is assigned to.") { list, add };
    }

    public static Command Holidays()
    {
        var year = new Option<int?>("--year") { Description = "Year to list (default: this year)." };
        var list = new Command("list", "List the days the firm is closed besides weekends.") { year };
        Runner.WithFirm(list, async (parse, session, db, cancellationToken) =>
        {
            var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
            var y = parse.GetValue(year) ?? firm.Today(session.Clock).Year;
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Date").AddColumn("Holiday");
            var days = (firm.UsesUsMarketHolidays ? UsMarketHolidays.For(y) : [])
                .Concat(firm.ExtraHolidays.Where(d => d.Year == y).Select(d => new MarketHoliday(d, "Firm closure")))
                .OrderBy(h => h.Date);
            foreach (var h in days)
            {
                table.AddRow(Output.Date(h.Date), Markup.Escape(h.Name));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var date = new Argument<string>("date") { Description = "yyyy-MM-dd" };
        var add = new Command("add", "Close the firm on a day (added to the market holidays).") { date };
        Runner.WithFirm(add, async (parse, session, db, cancellationToken) =>
        {
            var day = Parsing.Date(parse.GetValue(date)!, "The holiday");
            return !day.IsSuccess
                ? Output.Fail(day.Error!)
                : Runner.Report(await new FirmSetup(db).AddHolidayAsync(day.Value, session.Actor, cancellationToken), _ => Output.Success($"The firm is closed on {Output.Date(day.Value)}."));
        });

        return new Command("holidays", "The firm's business calendar.") { list, add };
    }
}
