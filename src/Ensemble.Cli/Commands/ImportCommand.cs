using System.CommandLine;
using Ensemble.Storage.Import;
using Ensemble.Storage.Work;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble import KIND FILE: households, members, accounts or policies from CSV, all or nothing.</summary>
internal static class ImportCommand
{
    public static Command Build()
    {
        var command = new Command("import", "Import households, members, accounts or policies from CSV (documented headers; all or nothing; safe to re-run).");
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            var file = new Argument<string>("file") { Description = "CSV file." };
            var sub = new Command(kind.ToString().ToLowerInvariant(), $"Import {kind.ToString().ToLowerInvariant()} from a CSV file.") { file };
            Runner.WithFirm(sub, async (parse, session, db, cancellationToken) =>
            {
                var work = new WorkService(db, session.Clock);
                var report = await AnsiConsole.Status().StartAsync($"Importing {kind.ToString().ToLowerInvariant()} from {parse.GetValue(file)}…", _ =>
                    new HouseholdImporter(db, session.Clock).ImportAsync(
                        kind, parse.GetValue(file)!, session.Actor, events => work.FollowOnAsync(events, session.Actor, cancellationToken), cancellationToken));
                if (report.Errors.Count > 0)
                {
                    foreach (var error in report.Errors)
                    {
                        Console.Error.WriteLine(error);
                    }

                    Console.Error.WriteLine($"{report.Errors.Count} problem(s); nothing was imported.");
                    return 2;
                }

                Output.Success($"{kind}: {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged.");
                return Output.Ok;
            });
            command.Subcommands.Add(sub);
        }

        return command;
    }
}
