using System.CommandLine;
using System.Globalization;
using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Households;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble framework (the firm's advisory rules, runs, could-not-evaluate) and ensemble alerts (list, show, act).</summary>
internal static class AdvisoryCommands
{
    /// <summary>Adds <c>framework</c> and <c>alerts</c> to the root command.</summary>
    public static void AddTo(Command root)
    {
        root.Subcommands.Add(new Command("framework", "The firm's advisory framework: rules over household facts that raise alerts.")
        {
            Show(), Set(), Rules(), Move(), Run(), Unevaluated(),
        });
        root.Subcommands.Add(new Command("alerts", "Alerts the framework raised: list them, see why, and act on them.")
        {
            List(), ShowAlert(), Act("acknowledge", "Acknowledge a new alert: you have seen it and own it."),
            Act("follow-up", "Put a new or acknowledged alert in follow-up (the client is being contacted)."), Snooze(), Resolve(),
        });
    }

    private static Command Show()
    {
        var output = new Option<string?>("--out") { Description = "Write the framework to this file instead of the screen." };
        var show = new Command("show", "Print the framework in force; edit it and load it back with `framework set`.") { output };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            foreach (var problem in firm.Problems)
            {
                Console.Error.WriteLine($"The firm's own framework no longer loads, so the built-in one runs: {problem}");
            }

            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, firm.Source, cancellationToken);
                Output.Success($"Wrote the framework ({firm.Framework.Rules.Count} rules) to {path}.");
            }
            else
            {
                Console.Write(firm.Source);
            }

            return Output.Ok;
        });
        return show;
    }

    private static Command Set()
    {
        var file = new Argument<string>("file") { Description = "A framework file in the rule language, as `framework show` writes it." };
        var set = new Command("set", "Check a framework file and, if every rule parses and type-checks, make it the firm's (audited). Problems are listed as file:line:column and nothing changes.") { file };
        Runner.WithFirm(set, async (parse, session, db, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return Output.Fail($"{path}: no such file.");
            }

            var saved = await AdvisorySettingsStore.SetFrameworkAsync(db, await File.ReadAllTextAsync(path, cancellationToken), Path.GetFileName(path), session.Actor, cancellationToken);
            return Runner.Report(saved, firm => Output.Success(
                $"Framework saved (version {firm.Version}): {firm.Framework.Rules.Count} rules, {firm.Types.Count} alert types. It applies from the next run (`ensemble framework run`)."));
        });
        return set;
    }

    private static Command Rules()
    {
        var rules = new Command("rules", "List the alert types of the framework in force, ranked on the canvas (urgency, then advice sensitivity).");
        Runner.WithFirm(rules, async (parse, session, db, cancellationToken) =>
        {
            var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var open = await new AlertViews(db, session.Clock).OpenCountsByTypeAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Type").AddColumn("Rule").AddColumn("Variant").AddColumn("Category")
                .AddColumn(new TableColumn("Urgency").RightAligned()).AddColumn(new TableColumn("Sensitivity").RightAligned()).AddColumn(new TableColumn("Open").RightAligned());
            foreach (var t in firm.Types)
            {
                table.AddRow(Markup.Escape(t.Key), Markup.Escape(t.Title), Markup.Escape(t.VariantLabel), Markup.Escape(t.Category),
                    Number(t.Urgency) + (t.Moved ? "*" : ""), Number(t.Sensitivity) + (t.Moved ? "*" : ""), open.GetValueOrDefault(t.Key).ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            Output.Line($"{firm.Framework.Rules.Count} rules{(firm.BuiltIn ? " (the built-in framework)" : $" (the firm's framework, version {firm.Version})")}; * moved on the canvas by the firm.");
            return Output.Ok;
        });
        return rules;
    }

    private static Command Move()
    {
        var type = new Argument<string>("type") { Description = "The alert type, as `framework rules` lists it, e.g. mortgage.rate-ending/within-14-days." };
        var urgency = new Option<double?>("--urgency") { Description = "How soon someone must act, 0–100." };
        var sensitivity = new Option<double?>("--sensitivity") { Description = "How much advice it needs, 0–100." };
        var reset = new Option<bool>("--reset") { Description = "Put the type back where its variant in the framework places it." };
        var move = new Command("move", "Move an alert type on the canvas (audited); lists and follow-up rank by it from now on.") { type, urgency, sensitivity, reset };
        Runner.WithFirm(move, async (parse, session, db, cancellationToken) =>
        {
            CanvasPosition? place = null;
            if (!parse.GetValue(reset))
            {
                if (parse.GetValue(urgency) is not { } u || parse.GetValue(sensitivity) is not { } s)
                {
                    return Output.Fail("Give --urgency and --sensitivity (0–100), or --reset.");
                }

                place = new CanvasPosition(u, s);
            }

            var moved = await AdvisorySettingsStore.MoveTypeAsync(db, parse.GetValue(type)!, place, session.Actor, cancellationToken);
            return Runner.Report(moved, t => Output.Success($"{t.Key} now sits at urgency {Number(t.Urgency)}, sensitivity {Number(t.Sensitivity)} (rank {t.Rank + 1})."));
        });
        return move;
    }

    private static Command Run()
    {
        var run = new Command("run", "Run the framework over every household now: raise alerts, move variants, resolve what cleared. Safe to run again: an unchanged book writes nothing.");
        Runner.WithFirm(run, async (parse, session, db, cancellationToken) =>
        {
            var report = await new AdvisoryRun(db, session.Clock).RunAsync(session.Actor, cancellationToken);
            Output.Success(report.Summary);
            Output.Line((await new Ensemble.Storage.Advisory.FollowUps.FollowUpRunner(db, session.Clock).RunAsync(session.Actor, cancellationToken)).Summary);
            if (report.CouldNotEvaluate > 0)
            {
                Output.Line("See `ensemble framework could-not-evaluate` for the households and the reasons.");
            }

            return Output.Ok;
        });
        return run;
    }

    private static Command Unevaluated()
    {
        var limit = Limit(200);
        var command = new Command("could-not-evaluate", "Rules the last run could not evaluate for a household (a value missing, a division by zero, an overflow), with the reason.") { limit };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var lines = await new AlertViews(db, session.Clock).UnevaluatedAsync(firm, parse.GetValue(limit), cancellationToken: cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("Every rule could be evaluated for every household in the last run.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Household").AddColumn("Rule").AddColumn("Why");
            foreach (var l in lines)
            {
                table.AddRow(Markup.Escape($"{l.HouseholdKey} {l.HouseholdName}"), Markup.Escape($"{l.Rule} ({l.Title})"), Markup.Escape(l.Reason));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var household = new Option<string?>("--household") { Description = "Only this household's alerts (its key, e.g. HH-1001)." };
        var rule = new Option<string?>("--rule") { Description = "Only this rule's alerts, e.g. mortgage.rate-ending." };
        var category = new Option<string?>("--category") { Description = "Only rules of this category, e.g. insurance." };
        var status = new Option<string?>("--status") { Description = AlertFilter.StatusChoices + "." };
        var limit = Limit(100);
        var list = new Command("list", "Alerts, most urgent then most advice-sensitive first.") { household, rule, category, status, limit };
        Runner.WithFirm(list, async (parse, session, db, cancellationToken) =>
        {
            var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var listStatus = AlertFilter.ParseStatus(parse.GetValue(status));
            if (listStatus is null)
            {
                return Output.Fail($"--status: \"{parse.GetValue(status)}\" is not a status; use {AlertFilter.StatusChoices}.");
            }

            HouseholdId? householdId = null;
            if (parse.GetValue(household) is { } key)
            {
                householdId = await new HouseholdDirectory(db, session.Clock).IdOfAsync(key, cancellationToken);
                if (householdId is null)
                {
                    return Output.Fail(Error.NotFound($"There is no household {key}."));
                }
            }

            if (parse.GetValue(category) is { } c && !firm.Categories.Contains(c))
            {
                return Output.Fail($"--category: \"{c}\" is not a category; use {string.Join(", ", firm.Categories)}.");
            }

            var filter = new AlertFilter(parse.GetValue(rule), parse.GetValue(category), listStatus.Value, householdId);
            var views = new AlertViews(db, session.Clock);
            var alerts = await views.ListAsync(firm, filter, parse.GetValue(limit), cancellationToken: cancellationToken);
            if (alerts.Count == 0)
            {
                Output.Line("No alerts match.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Alert").AddColumn("Household").AddColumn("What").AddColumn("Status")
                .AddColumn(new TableColumn("Urgency").RightAligned()).AddColumn(new TableColumn("Sensitivity").RightAligned()).AddColumn("Raised");
            foreach (var a in alerts)
            {
                table.AddRow(a.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape($"{a.HouseholdKey} {a.HouseholdName}"), Markup.Escape($"{a.Title}: {a.VariantLabel}"),
                    Markup.Escape(StatusText(a)), Number(a.Urgency), Number(a.Sensitivity), a.RaisedAt.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            var total = await views.CountAsync(firm, filter, cancellationToken: cancellationToken);
            if (total > alerts.Count)
            {
                Output.Line($"{alerts.Count} of {total:N0} shown; narrow with --household, --rule, --category or --status, or raise --limit.");
            }

            return Output.Ok;
        });
        return list;
    }

    private static Command ShowAlert()
    {
        var id = AlertArgument();
        var show = new Command("show", "One alert: what fired, the values that made it fire, and its history.") { id };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
            var view = await new AlertViews(db, session.Clock).FindAsync(firm, new AlertId(parse.GetValue(id)), cancellationToken);
            if (view is null)
            {
                return Output.Fail(Error.NotFound($"There is no alert {parse.GetValue(id)}."));
            }

            Print(view);
            return Output.Ok;
        });
        return show;
    }

    private static Command Act(string name, string description)
    {
        var id = AlertArgument();
        var note = new Option<string?>("--note") { Description = "What was done, or what happens next." };
        var command = new Command(name, description) { id };
        if (name == "follow-up")
        {
            command.Options.Add(note);
        }

        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var book = new AlertBook(db, session.Clock);
            var alert = new AlertId(parse.GetValue(id));
            var result = name == "acknowledge"
                ? await book.AcknowledgeAsync(alert, session.Actor, cancellationToken: cancellationToken)
                : await book.FollowUpAsync(alert, session.Actor, parse.GetValue(note), cancellationToken: cancellationToken);
            return Runner.Report(result, v => Output.Success($"Alert {v.Id} ({v.HouseholdKey}: {v.Title}) is now {AlertStatuses.Name(v.Status).ToLowerInvariant()}."));
        });
        return command;
    }

    private static Command Snooze()
    {
        var id = AlertArgument();
        var until = new Option<string>("--until") { Required = true, Description = "The day the alert comes back (yyyy-MM-dd)." };
        var note = new Option<string?>("--note") { Description = "Why it can wait." };
        var snooze = new Command("snooze", "Hide an open alert until a later day; it is back as it was on that day.") { id, until, note };
        Runner.WithFirm(snooze, async (parse, session, db, cancellationToken) =>
        {
            var day = Parsing.Date(parse.GetValue(until)!, "--until");
            if (!day.IsSuccess)
            {
                return Output.Fail(day.Error!);
            }

            var result = await new AlertBook(db, session.Clock).SnoozeAsync(new AlertId(parse.GetValue(id)), day.Value, session.Actor, parse.GetValue(note), cancellationToken: cancellationToken);
            return Runner.Report(result, v => Output.Success($"Alert {v.Id} is snoozed until {v.SnoozedUntil:uuuu-MM-dd}."));
        });
        return snooze;
    }

    private static Command Resolve()
    {
        var id = AlertArgument();
        var note = new Option<string>("--note") { Required = true, Description = "What was done, or why it does not apply (required, kept with the alert and in the audit trail)." };
        var resolve = new Command("resolve", "Resolve an open alert by hand, saying why. The rule is not raised again for the household until its condition has cleared.") { id, note };
        Runner.WithFirm(resolve, async (parse, session, db, cancellationToken) =>
        {
            var result = await new AlertBook(db, session.Clock).ResolveAsync(new AlertId(parse.GetValue(id)), session.Actor, parse.GetValue(note), cancellationToken: cancellationToken);
            return Runner.Report(result, v => Output.Success($"Alert {v.Id} ({v.HouseholdKey}: {v.Title}) is resolved."));
        });
        return resolve;
    }

    private static void Print(AlertView a)
    {
        Output.Success($"Alert {a.Id}: {a.Title} — {a.VariantLabel}");
        Output.Line($"  Household:   {a.HouseholdKey} {a.HouseholdName}");
        Output.Line($"  Type:        {a.Type} ({a.Category}; urgency {Number(a.Urgency)}, sensitivity {Number(a.Sensitivity)})");
        Output.Line($"  Status:      {StatusText(a)}");
        Output.Line($"  Raised:      {a.RaisedAt.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC{(a.ReopenCount > 0 ? $" (back for the {Ordinal(a.ReopenCount + 1)} time; previous alert {a.PreviousAlertId})" : "")}");
        if (a.Advice is not null)
        {
            Output.Line($"  Advice:      {a.Advice}");
        }

        Output.Line("  Why it fired:");
        foreach (var v in a.Explanation)
        {
            Output.Line($"    {v.Label}: {v.Value}");
        }

        if (a.History.Count > 0)
        {
            Output.Line("  History:");
            foreach (var h in a.History)
            {
                Output.Line($"    {h.At.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture)} {h.Actor}: {h.Description}{(h.Note is null ? "" : $" — {h.Note}")}");
            }
        }
    }

    private static string StatusText(AlertView a) =>
        a.Status == AlertStatus.Resolved
            ? $"resolved ({(a.Resolution is { } r ? AlertStatuses.Name(r) : "")}{(a.ResolutionNote is null ? "" : ": " + a.ResolutionNote)})"
            : AlertStatuses.Name(a.Status).ToLowerInvariant() + (a.Snoozed ? $", snoozed until {a.SnoozedUntil:uuuu-MM-dd}" : "");

    private static Argument<long> AlertArgument() => new("alert") { Description = "The alert's number, as `alerts list` shows it." };

    private static Option<int> Limit(int fallback) => new("--limit") { DefaultValueFactory = _ => fallback, Description = "At most this many lines." };

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Ordinal(int n) => n switch { 2 => "second", 3 => "third", _ => $"{n}th" };
}
