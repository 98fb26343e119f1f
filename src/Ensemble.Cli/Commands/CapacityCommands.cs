using System.CommandLine;
using System.Globalization;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage.ServiceModel.Capacity;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble capacity: hours needed per role and person, month by month, against the hours they have; and what-ifs.</summary>
internal static class CapacityCommands
{
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static Command Build()
    {
        var year = new Option<int?>("--year") { Description = "The year to plan (default: this year)." };
        var month = new Option<int?>("--month") { Description = "Show one month (1–12) in detail instead of the whole year." };
        var hours = new Option<double?>("--hours-per-day") { Description = $"Productive hours in a working day (default {CapacityOptions.DefaultHoursPerDay})." };
        var by = new Option<string>("--by") { Description = "Show the plan by role or by person.", DefaultValueFactory = _ => "role" };
        by.AcceptOnlyFromAmong("role", "person");
        var move = new Option<string?>("--what-if-move") { Description = "COUNT:FROM:TO, e.g. 20:B:A: the change in hours if the 20 B households closest to A moved to A." };
        var named = new Option<string?>("--what-if-households") { Description = "KEY,KEY:TIER, e.g. HH-1,HH-2:A: the change in hours if these households moved to tier A." };
        var command = new Command("capacity", "Hours needed per role and per person each month against the hours available, with over-capacity, stretched and thin-cover flags; or the change a what-if makes.")
        {
            year, month, hours, by, move, named,
        };

        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            Output.FitWidth();
            var m = parse.GetValue(month);
            if (m is < 1 or > 12)
            {
                return Output.Fail($"--month: {m} is not a month; use 1 to 12.");
            }

            var options = CapacityOptions.Create(parse.GetValue(hours));
            if (!options.IsSuccess)
            {
                return Output.Fail(options.Error!.Message.Replace("hoursPerDay:", "--hours-per-day:", StringComparison.Ordinal));
            }

            WhatIf? whatIf = null;
            if (parse.GetValue(move) is not null && parse.GetValue(named) is not null)
            {
                return Output.Fail("Give one what-if at a time: --what-if-move or --what-if-households.");
            }

            if (parse.GetValue(move) is { } text)
            {
                var parsed = WhatIfText.Move(text, "--what-if-move");
                if (!parsed.IsSuccess)
                {
                    return Output.Fail(parsed.Error!);
                }

                whatIf = parsed.Value;
            }
            else if (parse.GetValue(named) is { } list)
            {
                var parsed = WhatIfText.Households(list, "--what-if-households");
                if (!parsed.IsSuccess)
                {
                    return Output.Fail(parsed.Error!);
                }

                whatIf = parsed.Value;
            }

            var planner = new CapacityPlanner(db, session.Clock);
            var model = await planner.ModelAsync(parse.GetValue(year), options.Value, whatIf, cancellationToken);
            if (!model.IsSuccess)
            {
                return Output.Fail(model.Error!.Message.Replace("year:", "--year:", StringComparison.Ordinal));
            }

            var plan = model.Value.Plan();
            if (whatIf is not null)
            {
                var result = model.Value.WhatIf(whatIf);
                if (!result.IsSuccess)
                {
                    return Output.Fail(Option(result.Error!.Message, whatIf is MoveClosest ? "--what-if-move" : "--what-if-households"));
                }

                PrintWhatIf(plan, result.Value, m);
                return Output.Ok;
            }

            Header(plan);
            if (parse.GetValue(by) == "person")
            {
                People(plan, m);
            }
            else
            {
                Roles(plan, m);
            }

            Notes(plan);
            return Output.Ok;
        });

        return command;
    }

    /// <summary>Capacity errors name their field first ("count: …"); on the command line that is the option.</summary>
    private static string Option(string message, string option)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !message[..colon].Contains(' ', StringComparison.Ordinal) ? option + message[colon..] : message;
    }

    private static string H(double hours) => hours.ToString("#,0.#", CultureInfo.InvariantCulture);

    private static void Header(CapacityPlan plan)
    {
        Output.Line($"Capacity {plan.Year}: {plan.Households:N0} client households; {H(plan.HoursPerDay)} productive hours a working day; {plan.MinutesPerContact} minutes per contact.");
        Output.Line("Utilisation = hours needed ÷ hours available.  ! over capacity (more than 100 %)   ~ stretched (more than 85 %)");
    }

    /// <summary>Utilisation with a mark that does not depend on colour, coloured as well where the terminal can.</summary>
    private static string Cell(Load load)
    {
        if (load.Needed == 0 && load.Available == 0)
        {
            return "[grey]–[/]";
        }

        var text = load.Utilisation is { } u ? (u * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "n/a";
        return load.Flag switch
        {
            LoadFlag.Over => $"[red bold]{text}![/]",
            LoadFlag.Stretched => $"[yellow]{text}~[/]",
            _ => text + " ",
        };
    }

    private static string Flags(IReadOnlyList<Load> months, RoleLoad? role)
    {
        var parts = new List<string>();
        var over = months.Where(l => l.Flag == LoadFlag.Over).Select(l => MonthNames[l.Month!.Value - 1]).ToList();
        var stretched = months.Where(l => l.Flag == LoadFlag.Stretched).Select(l => MonthNames[l.Month!.Value - 1]).ToList();
        if (over.Count > 0)
        {
            parts.Add("[red]over in " + string.Join(", ", over) + "[/]");
        }

        if (stretched.Count > 0)
        {
            parts.Add("[yellow]stretched in " + string.Join(", ", stretched) + "[/]");
        }

        if (role is { FewerThanThree: true })
        {
            parts.Add($"[red]held by {role.Holders}: fewer than {CapacityPlan.MinimumHolders} people[/]");
        }

        if (role is { Unassigned: > 0 })
        {
            parts.Add($"{H(role.Unassigned)} h with no one to do it");
        }

        return string.Join("; ", parts);
    }

    private static void Roles(CapacityPlan plan, int? month)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Role").AddColumn(new TableColumn("Holders").RightAligned());
        if (month is { } m)
        {
            table.AddColumn(new TableColumn("Needed h").RightAligned()).AddColumn(new TableColumn("Available h").RightAligned())
                .AddColumn(new TableColumn("Utilisation").RightAligned()).AddColumn("Flags");
            foreach (var r in plan.Roles)
            {
                var load = r.Months[m - 1];
                table.AddRow(Markup.Escape(r.Name), r.Holders.ToString(CultureInfo.InvariantCulture), H(load.Needed), H(load.Available), Cell(load), Flags([load], r));
            }

            Output.Line($"{MonthNames[m - 1]} {plan.Year}: {plan.BusinessDays[m - 1]} working days.");
        }
        else
        {
            foreach (var name in MonthNames)
            {
                table.AddColumn(new TableColumn(name).RightAligned());
            }

            table.AddColumn(new TableColumn("Year: needed / available h").RightAligned()).AddColumn("Flags");
            foreach (var r in plan.Roles)
            {
                table.AddRow([Markup.Escape(r.Name), r.Holders.ToString(CultureInfo.InvariantCulture), .. r.Months.Select(Cell), $"{H(r.Year.Needed)} / {H(r.Year.Available)} {Cell(r.Year)}", Flags(r.Months, r)]);
            }
        }

        AnsiConsole.Write(table);
    }

    private static void People(CapacityPlan plan, int? month)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Person").AddColumn("Roles");
        if (month is { } m)
        {
            table.AddColumn(new TableColumn("Needed h").RightAligned()).AddColumn(new TableColumn("Available h").RightAligned())
                .AddColumn(new TableColumn("Utilisation").RightAligned()).AddColumn("Flags");
            foreach (var p in plan.People)
            {
                var load = p.Months[m - 1];
                table.AddRow(Markup.Escape($"{p.Name} ({p.Handle})"), Markup.Escape(string.Join(", ", p.Roles)), H(load.Needed), H(load.Available), Cell(load), Flags([load], null));
            }

            Output.Line($"{MonthNames[m - 1]} {plan.Year}: {plan.BusinessDays[m - 1]} working days.");
        }
        else
        {
            foreach (var name in MonthNames)
            {
                table.AddColumn(new TableColumn(name).RightAligned());
            }

            table.AddColumn(new TableColumn("Year: needed / available h").RightAligned()).AddColumn("Flags");
            foreach (var p in plan.People)
            {
                table.AddRow([Markup.Escape($"{p.Name} ({p.Handle})"), Markup.Escape(string.Join(", ", p.Roles)), .. p.Months.Select(Cell), $"{H(p.Year.Needed)} / {H(p.Year.Available)} {Cell(p.Year)}", Flags(p.Months, null)]);
            }
        }

        AnsiConsole.Write(table);
    }

    private static void Notes(CapacityPlan plan)
    {
        foreach (var note in plan.Notes)
        {
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape("Note: " + note) + "[/]");
        }
    }

    private static void PrintWhatIf(CapacityPlan plan, WhatIfResult result, int? month)
    {
        Output.Line($"What if, {plan.Year}: {result.Description}.");
        if (result.Moved.Count == 0)
        {
            Output.Line("No household would change tier, so no hours change.");
            return;
        }

        var keys = result.Moved.Take(20).Select(m => $"{m.Key} ({m.From}→{m.To})");
        Output.Line("Households: " + string.Join(", ", keys) + (result.Moved.Count > 20 ? $" and {result.Moved.Count - 20} more" : ""));
        var period = month is { } m ? $"{MonthNames[m - 1]} {plan.Year}" : plan.Year.ToString(CultureInfo.InvariantCulture);
        ChangeTable("Role", result.Roles.Select(r => (r.Name, r.Months, r.Year)), month, period);
        ChangeTable("Person", result.People.Select(p => ($"{p.Name} ({p.Handle})", p.Months, p.Year)), month, period);
    }

    private static void ChangeTable(string what, IEnumerable<(string Name, IReadOnlyList<LoadChange> Months, LoadChange Year)> rows, int? month, string period)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"Change in hours by {what.ToLowerInvariant()}, {period}")
            .AddColumn(what).AddColumn(new TableColumn("Needed before").RightAligned()).AddColumn(new TableColumn("Needed after").RightAligned())
            .AddColumn(new TableColumn("Change h").RightAligned()).AddColumn(new TableColumn("Utilisation after").RightAligned()).AddColumn("Months that change");
        foreach (var (name, months, year) in rows)
        {
            var change = month is { } m ? months[m - 1] : year;
            table.AddRow(Markup.Escape(name), H(change.Before.Needed), H(change.After.Needed), Signed(change.Change), Cell(change.After), Markup.Escape(MonthsThatChange(months)));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>"Mar +1, Sep +0.5", or "every month +7.5" when the change is spread evenly.</summary>
    public static string MonthsThatChange(IReadOnlyList<LoadChange> months)
    {
        if (months.All(c => c.Change != 0 && c.Change == months[0].Change))
        {
            return "every month " + Signed(months[0].Change);
        }

        return string.Join(", ", months.Where(c => c.Change != 0).Select(c => $"{MonthNames[c.Month!.Value - 1]} {Signed(c.Change)}"));
    }

    private static string Signed(double hours) => (hours > 0 ? "+" : "") + hours.ToString("#,0.##", CultureInfo.InvariantCulture);
}
