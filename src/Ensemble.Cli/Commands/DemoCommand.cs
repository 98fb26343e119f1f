using System.CommandLine;
using Ensemble.Storage;
using Ensemble.Storage.Demo;
using Ensemble.Storage.Library;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble demo: a realistic firm to explore at once.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var households = new Option<int>("--households") { DefaultValueFactory = _ => 300, Description = "How many households to create." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42, Description = "Random seed (same seed, same firm)." };
        var fresh = new Option<bool>("--fresh") { Description = "Delete an existing SQLite demo database first." };
        var command = new Command("demo", "Build a demo firm (staff, households, teams, work under way) and show where to start.") { households, seed, fresh };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var session = Session.From(parse);
            if (session.Location.Provider == StorageProvider.Sqlite && parse.GetValue(fresh))
            {
                var path = new SqliteConnectionStringBuilder(session.Location.ConnectionString).DataSource;
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
                {
                    File.Delete(file);
                }
            }

            await EnsembleDatabase.MigrateAsync(session.Location, cancellationToken);
            await using var db = session.Open();
            if (await EnsembleDatabase.HasFirmAsync(db, cancellationToken))
            {
                Output.Line($"{session.Location} already holds a firm; exploring it as it is (use --fresh to rebuild the demo).");
                Tour(null);
                return Output.Ok;
            }

            var summary = await AnsiConsole.Status().StartAsync("Building the demo firm…", _ =>
                new DemoFirm(db, session.Clock).BuildAsync(parse.GetValue(households), parse.GetValue(seed), BuiltInLibrary.Texts(), cancellationToken));
            if (!summary.IsSuccess)
            {
                return Output.Fail(summary.Error!);
            }

            var s = summary.Value;
            Output.Success($"Built {s.FirmName} in {session.Location}: {s.Staff} staff, {s.Households} households, {s.Processes} processes running, {s.OpenTasks} open tasks.");
            Tour(s);
            return Output.Ok;
        });
        return command;
    }

    private static void Tour(DemoSummary? summary)
    {
        if (summary is not null)
        {
            var people = new Table().Border(TableBorder.Rounded).Title("Staff (use a handle with --as)").AddColumn("Handle").AddColumn("Name").AddColumn("Roles");
            foreach (var p in summary.People)
            {
                people.AddRow(Markup.Escape(p.Handle), Markup.Escape(p.Name), Markup.Escape(p.Roles));
            }

            AnsiConsole.Write(people);
        }

        Output.Line("Try:");
        Output.Line("  ensemble tasks mine --as aisha            # a paraplanner's Monday morning");
        Output.Line("  ensemble tasks overdue                    # what is late, firm-wide");
        Output.Line("  ensemble households show HH-1001          # one household: facts, team, processes");
        Output.Line("  ensemble templates list                   # the workflow library");
        Output.Line("  ensemble complete <task> --as aisha       # finish a task; the next steps appear");
        Output.Line("  ensemble staff away aisha --from 2026-12-07 --to 2026-12-11   # her work moves to backups");
        Output.Line("  ensemble audit verify                     # check the tamper-evident audit trail");
        Output.Line("(with `dotnet run --project src/Ensemble.Cli --` in place of `ensemble` when running from the source tree)");
    }
}
