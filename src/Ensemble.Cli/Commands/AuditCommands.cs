using System.CommandLine;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Households;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble audit: verify the hash chain and read the log.</summary>
internal static class AuditCommands
{
    public static Command Build()
    {
        var verify = new Command("verify", "Check the audit trail's hash chain; names the first event that was altered, removed or reordered.");
        Runner.WithFirm(verify, async (_, _, db, cancellationToken) =>
        {
            var result = await new AuditTrail(db).VerifyAsync(cancellationToken);
            if (result.IsIntact)
            {
                Output.Success(result.Message);
                return Output.Ok;
            }

            Console.Error.WriteLine($"TAMPERED: {result.Message}");
            return 6;
        });

        var household = new Option<string?>("--household") { Description = "Only events of this household." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 30, Description = "Most recent N events." };
        var log = new Command("log", "Show recent audit events.") { household, limit };
        Runner.WithFirm(log, async (parse, session, db, cancellationToken) =>
        {
            long? householdId = null;
            if (parse.GetValue(household) is { } key)
            {
                var h = await new HouseholdDirectory(db, session.Clock).FindAsync(key, cancellationToken);
                if (h is null)
                {
                    return Output.Fail(Common.Error.NotFound($"There is no household {key}."));
                }

                householdId = h.Id.Value;
            }

            var events = await new AuditTrail(db).RecentAsync(householdId, null, null, parse.GetValue(limit), cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("When (UTC)").AddColumn("Who").AddColumn("What").AddColumn("Entity").AddColumn("Change");
            foreach (var e in events)
            {
                table.AddRow(
                    e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At.ToString("uuuu-MM-dd HH:mm:ss", null), Markup.Escape(e.Actor),
                    Markup.Escape(e.Operation ?? ""), Markup.Escape($"{e.EntityType} {e.EntityId} {e.Action}"), Markup.Escape(Shorten(e.After ?? e.Before ?? "")));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        return new Command("audit", "The append-only, hash-chained record of every change.") { verify, log };
    }

    private static string Shorten(string text) => text.Length <= 90 ? text : text[..87] + "...";
}
