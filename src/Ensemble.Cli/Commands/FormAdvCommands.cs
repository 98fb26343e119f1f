using System.CommandLine;
using System.Globalization;
using Ensemble.Communications.FormAdv;
using Ensemble.Storage.Communications.FormAdv;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble form-adv status: who has had this year's Form ADV delivery and who is still owed one.</summary>
internal static class FormAdvCommands
{
    public static Command Build() => new("form-adv", "Annual Form ADV delivery to every client, due within 120 days of the fiscal year end.")
    {
        Status(),
    };

    private static Command Status()
    {
        var year = new Option<int?>("--year") { Description = "The fiscal year (named by the year it ends in); default the latest that has ended." };
        var all = new Option<bool>("--all") { Description = "List every client household, not only those still owed a delivery." };
        var csv = new Option<string?>("--csv") { Description = "Also write the list to this CSV file." };
        var command = new Command("status", "Who is still owed this year's Form ADV delivery (overdue first), with the deadline and counts.") { year, all, csv };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var result = await new FormAdvTracker(db, session.Clock).StatusAsync(parse.GetValue(year), !parse.GetValue(all), cancellationToken);
            if (!result.IsSuccess)
            {
                return Output.Fail("--" + result.Error!.Message);
            }

            var report = result.Value;
            var y = report.Year;
            var left = report.DaysLeft;
            Output.Success($"Form ADV, fiscal year {y.FiscalYear} (ended {Day(y.FiscalYearEnd)}): deliver by {Day(y.Deadline)} — "
                + (left >= 0 ? $"{left} day(s) left." : $"{-left} day(s) ago."));
            Output.Line($"  {report.Clients:N0} client households: {report.Delivered:N0} delivered, {report.DeliveredLate:N0} delivered late, {report.Owed:N0} owed, {report.Overdue:N0} overdue.");
            var lines = report.Lines.OrderBy(l => l.State == FormAdvState.Overdue ? 0 : l.State == FormAdvState.Owed ? 1 : 2).ThenBy(l => l.HouseholdKey, StringComparer.Ordinal).ToList();
            if (lines.Count == 0)
            {
                Output.Line(parse.GetValue(all) ? "No client households." : "Nobody is owed a delivery.");
            }
            else
            {
                Output.FitWidth();
                var table = new Table().Border(TableBorder.Rounded).AddColumn("Household").AddColumn("Name").AddColumn("Status").AddColumn("Delivered").AddColumn("Channel").AddColumn("Note");
                foreach (var l in lines)
                {
                    var status = l.State switch
                    {
                        FormAdvState.Overdue => "[red]overdue[/]",
                        FormAdvState.Owed => "[yellow]owed[/]",
                        FormAdvState.DeliveredLate => "delivered late",
                        _ => "[green]delivered[/]",
                    };
                    var notes = new List<string>();
                    if (l.InOutbox > 0)
                    {
                        notes.Add($"{l.InOutbox} in the outbox");
                    }

                    if (l.LastFailure is not null)
                    {
                        notes.Add("failed: " + l.LastFailure);
                    }

                    if (l.DoNotContact)
                    {
                        notes.Add("do not contact");
                    }

                    table.AddRow(Markup.Escape(l.HouseholdKey), Markup.Escape(l.HouseholdName), status, l.DeliveredOn is { } on ? Day(on) : "—", Markup.Escape(l.Channel ?? "—"), Markup.Escape(string.Join("; ", notes)));
                }

                AnsiConsole.Write(table);
            }

            if (parse.GetValue(csv) is { } path)
            {
                await using var file = new StreamWriter(path);
                FormAdvCsv.Write(file, report);
                Output.Line($"Wrote {path}.");
            }

            return Output.Ok;
        });
        return command;
    }

    private static string Day(NodaTime.LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
