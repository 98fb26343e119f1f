using System.CommandLine;
using System.Globalization;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage.ServiceModel;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble tiers: explain, recompute, override and the history of moves.</summary>
internal static class TierCommands
{
    public static Command Build() => new("tiers", "The A/B/C service tiers.")
    {
        Explain(),
        Recompute(),
        Override(),
        ClearOverride(),
        Changes(),
    };

    private static Command Explain()
    {
        var key = Household();
        var explain = new Command("explain", "Show each of the eight criteria, its value and the tiers it supports, the tier that follows under the firm's model, and any override.") { key };
        Runner.WithFirm(explain, async (parse, session, db, cancellationToken) =>
        {
            var view = await new TierBook(db, session.Clock).ExplainAsync(parse.GetValue(key)!, cancellationToken);
            if (view is null)
            {
                return Output.Fail(Error.NotFound($"There is no household {parse.GetValue(key)}."));
            }

            Output.Success($"{view.Household.Name} ({view.Household.Key}): {view.Decision.TierName}");
            foreach (var line in view.Decision.Explain())
            {
                Output.Line("  " + line);
            }

            return Output.Ok;
        });
        return explain;
    }

    private static Command Recompute()
    {
        var recompute = new Command("recompute", "Re-decide every household's tier from its facts and list the households that moved. Safe to run again.");
        Runner.WithFirm(recompute, async (parse, session, db, cancellationToken) =>
        {
            var report = await new TierBook(db, session.Clock).RecomputeAsync(null, session.Actor, cancellationToken);
            Output.Success($"{report.Decided} households decided ({report.FirstDecisions} for the first time), {report.Moved} moved.");
            Output.Line("In force: " + string.Join(", ", report.ByTier.Select(t => $"{Name(t.Key)} {t.Value}")) + $"; {report.MissingFacts} with facts missing.");
            if (report.Moves.Count > 0)
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("Household").AddColumn("Name").AddColumn("From").AddColumn("To").AddColumn("In force");
                foreach (var move in report.Moves)
                {
                    table.AddRow(Markup.Escape(move.Key), Markup.Escape(move.Name), Name(move.From), Name(move.To), Name(move.InForce));
                }

                AnsiConsole.Write(table);
            }

            return Output.Ok;
        });
        return recompute;
    }

    private static Command Override()
    {
        var key = Household();
        var tier = new Option<string>("--tier") { Required = true, Description = "A, B, C or unsegmented." };
        var reason = new Option<string>("--reason") { Required = true, Description = "Why the computed tier is set aside (required, kept in the audit trail)." };
        var until = new Option<string?>("--until") { Description = "The last day the override applies (yyyy-MM-dd); without it, until cleared." };
        var command = new Command("override", "Set a household's tier by hand, with a reason and optionally an end date.") { key, tier, reason, until };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            if (!Enum.TryParse<ServiceTier>(parse.GetValue(tier), ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen))
            {
                return Output.Fail($"--tier: \"{parse.GetValue(tier)}\" is not a tier; use A, B, C or unsegmented.");
            }

            LocalDate? last = null;
            if (parse.GetValue(until) is { } text)
            {
                var date = Parsing.Date(text, "--until");
                if (!date.IsSuccess)
                {
                    return Output.Fail(date.Error!);
                }

                last = date.Value;
            }

            var result = await new TierBook(db, session.Clock).OverrideAsync(parse.GetValue(key)!, chosen, parse.GetValue(reason), last, session.Actor, cancellationToken);
            return Runner.Report(result, d => Output.Success($"{parse.GetValue(key)} is now {d.TierName} (computed {Name(d.Computed)})."));
        });
        return command;
    }

    private static Command ClearOverride()
    {
        var key = Household();
        var command = new Command("clear-override", "Remove a household's manual tier; the computed tier applies again.") { key };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var result = await new TierBook(db, session.Clock).ClearOverrideAsync(parse.GetValue(key)!, session.Actor, cancellationToken);
            return Runner.Report(result, d => Output.Success($"{parse.GetValue(key)} is back to its computed {d.TierName}."));
        });
        return command;
    }

    private static Command Changes()
    {
        var days = new Option<int>("--days") { DefaultValueFactory = _ => 30, Description = "How far back to look." };
        var command = new Command("changes", "Households that moved between tiers or were overridden, newest first (read from the audit trail).") { days };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            if (parse.GetValue(days) is < 1 or > 3660)
            {
                return Output.Fail("--days: between 1 and 3660.");
            }

            var since = session.Clock.GetCurrentInstant() - Duration.FromDays(parse.GetValue(days));
            var changes = await new TierBook(db, session.Clock).ChangesAsync(since, 1000, cancellationToken);
            if (changes.Count == 0)
            {
                Output.Line($"No tier changes in the last {parse.GetValue(days)} days.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("When (UTC)").AddColumn("Household").AddColumn("What").AddColumn("From").AddColumn("To").AddColumn("By").AddColumn("Reason");
            foreach (var c in changes)
            {
                table.AddRow(c.At.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape($"{c.Key} {c.Name}"), c.What,
                    c.From ?? "—", c.To ?? "—", Markup.Escape(c.Actor), Markup.Escape(c.Reason ?? ""));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Argument<string> Household() => new("household") { Description = "The household's key, e.g. HH-1001." };

    private static string Name(ServiceTier tier) => tier == ServiceTier.Unsegmented ? "Unsegmented" : tier.ToString();
}
