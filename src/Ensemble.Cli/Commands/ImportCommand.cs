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
        var source = new Option<string?>("--source")
        {
            Description = "Import a registered source's facts: CSV with a household column, one column per fact key and optionally verified_at, "
                + "or .json [{\"household\": \"HH-1001\", \"verified_at\": \"2026-11-01\", \"facts\": {\"income\": 250000}}]. E.g. ensemble import --source planning FILE.",
        };
        var sourceFile = new Argument<string?>("file") { Description = "With --source: the source's CSV or .json file.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("import", "Import households, members, accounts or policies from CSV, or a data source's facts with --source (documented headers; all or nothing; safe to re-run).")
        {
            source,
            sourceFile,
        };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
            parse.GetValue(source) is not { } key || parse.GetValue(sourceFile) is not { } path
                ? Output.Fail("Say what to import: `ensemble import households FILE` (or members, accounts, policies), or `ensemble import --source KEY FILE`.")
                : await SourceCommands.ImportAsync(session, db, key, path, cancellationToken));
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
