using System.CommandLine;
using System.Globalization;
using Ensemble.Common;
using Ensemble.Storage.Consolidation;
using NodaTime;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble sources: the firm's data sources, how their values are consolidated, discrepancies and lineage.</summary>
internal static class SourceCommands
{
    public static Command Build() => new("sources", "The systems household facts come from (CRM, planning tool, custodian), how their values are weighed, and where they disagree.")
    {
        List(),
        Add(),
        Settings(),
        Discrepancies(),
        Resolve(),
        Lineage(),
        RebuildSheets(),
        FreshnessCommand(),
        RefreshWork(),
    };

    private static Command List()
    {
        var command = new Command("list", "Registered sources, with how many values each holds and its last import.");
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var sources = await new SourceRegistry(db, session.Clock).ListAsync(cancellationToken);
            if (sources.Count == 0)
            {
                Output.Line("No sources yet; register one with `ensemble sources add crm --name \"Our CRM\"`.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Key").AddColumn("Name").AddColumn(new TableColumn("Values").RightAligned())
                .AddColumn(new TableColumn("Imports").RightAligned()).AddColumn("Last import (UTC)");
            foreach (var s in sources)
            {
                table.AddRow(Markup.Escape(s.Key), Markup.Escape(s.Name), s.Values.ToString("N0", CultureInfo.InvariantCulture), s.Imports.ToString(CultureInfo.InvariantCulture),
                    s.LastImportAt?.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—");
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Command Add()
    {
        var key = new Argument<string>("key") { Description = "Short lower-case key files and settings use, e.g. crm." };
        var name = new Option<string?>("--name") { Description = "The system as people know it, e.g. \"Redtail CRM\"." };
        var command = new Command("add", "Register a data source.") { key, name };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var added = await new SourceRegistry(db, session.Clock).AddAsync(parse.GetValue(key), parse.GetValue(name), session.Actor, cancellationToken);
            return Runner.Report(added, s => Output.Success($"Registered {s.Key} ({s.Name}). Import its values with `ensemble import --source {s.Key} FILE`."));
        });
        return command;
    }

    private static Command Settings()
    {
        var output = new Option<string?>("--out") { Description = "Write the document to this file instead of the screen." };
        var show = new Command("show", "Print the consolidation settings in force (JSON): per fact, its source precedence (or most recently verified wins) and maximum age in months.") { output };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
        {
            var text = ConsolidationSettingsStore.Serialize(await ConsolidationSettingsStore.GetAsync(db, cancellationToken));
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text + Environment.NewLine, cancellationToken);
                Output.Success($"Wrote the consolidation settings to {path}.");
            }
            else
            {
                Console.WriteLine(text);
            }

            return Output.Ok;
        });

        var file = new Argument<string>("file") { Description = "A settings document, as `sources settings show` writes it; facts left out keep their defaults." };
        var set = new Command("set", "Check a settings document and, if valid, make it the firm's (audited); every consolidated value is then decided again.") { file };
        Runner.WithFirm(set, async (parse, session, db, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return Output.Fail($"{path}: no such file.");
            }

            var registry = new SourceRegistry(db, session.Clock);
            var (settings, problems) = await registry.ReadSettingsAsync(await File.ReadAllBytesAsync(path, cancellationToken), Path.GetFileName(path), cancellationToken);
            if (settings is null)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine(problem);
                }

                Console.Error.WriteLine($"{problems.Count} problem(s); the settings were not changed.");
                return 2;
            }

            var counts = await registry.SaveSettingsAsync(settings, session.Actor, cancellationToken);
            Output.Success($"Consolidation settings saved: {counts.Households} households decided again, {counts.ConsolidatedChanged} values changed, "
                + $"{counts.DiscrepanciesOpened} discrepancies opened, {counts.DiscrepanciesClosed} closed.");
            return Output.Ok;
        });

        return new Command("settings", "Which source wins for each fact, and how long a value stays fresh.") { show, set };
    }

    private static Command Discrepancies()
    {
        var household = new Option<string?>("--household") { Description = "Only this household's." };
        var all = new Option<bool>("--all") { Description = "Include resolved ones, with who resolved them and how." };
        var command = new Command("discrepancies", "Facts on which sources disagree, newest first.") { household, all };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var listed = await new DiscrepancyDesk(db, session.Clock).ListAsync(parse.GetValue(household), parse.GetValue(all), 1000, cancellationToken);
            if (!listed.IsSuccess)
            {
                return Output.Fail(listed.Error!);
            }

            if (listed.Value.Count == 0)
            {
                Output.Line("No discrepancies: the sources agree.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("Id").AddColumn("Household").AddColumn("Fact").AddColumn("Sources say").AddColumn("Detected (UTC)").AddColumn("Resolved");
            foreach (var d in listed.Value)
            {
                table.AddRow(d.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape($"{d.Household} {d.HouseholdName}"), Markup.Escape(d.Fact),
                    Markup.Escape(string.Join("; ", d.Values.Select(v => $"{v.Source}: {v.Value}"))), d.DetectedAt.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Markup.Escape(d.Open ? "open" : $"{d.Resolution} ({d.ResolvedBy})"));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Command Resolve()
    {
        var id = new Argument<long>("id") { Description = "The discrepancy's id (see `sources discrepancies`)." };
        var source = new Option<string?>("--source") { Description = "Take this source's value." };
        var value = new Option<string?>("--value") { Description = "State the value yourself, written as for an import (250000, 35%, 2027-03-31, yes)." };
        var command = new Command("resolve", "Resolve a discrepancy by choosing a source or a value; the choice holds until a source sends a new value (audited).") { id, source, value };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var resolved = await new DiscrepancyDesk(db, session.Clock).ResolveAsync(parse.GetValue(id), parse.GetValue(source), parse.GetValue(value), session.Actor, null, cancellationToken);
            return Runner.Report(resolved, d => Output.Success($"{d.Household} {d.Fact}: {d.Resolution}."));
        });
        return command;
    }

    private static Command Lineage()
    {
        var household = new Argument<string>("household") { Description = "The household's key, e.g. HH-1001." };
        var command = new Command("lineage", "A household's consolidated facts: the value, the source it came from, when it arrived and was last verified, whether it is stale, and what every source says.") { household };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var read = await new HouseholdFactsReader(db, session.Clock).ReadAsync(parse.GetValue(household)!, cancellationToken);
            if (!read.IsSuccess)
            {
                return Output.Fail(read.Error!);
            }

            var view = read.Value;
            Output.Success($"{view.Name} ({view.Household}): {view.Known} facts known, {view.Stale} stale"
                + (view.Freshness is { } f ? $", {f:P0} fresh" : "") + $", {view.Discrepancies.Count} open discrepancies.");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Fact").AddColumn("Value").AddColumn("Source").AddColumn("Arrived (UTC)").AddColumn("Verified (UTC)")
                .AddColumn("Fresh until").AddColumn("All sources");
            foreach (var line in view.Facts.Where(l => l.Value is not null || l.Sources.Count > 0))
            {
                var stale = line.Stale ? "[red]stale[/]" : Markup.Escape(line.FreshUntil?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture) ?? "never ages");
                var value = Markup.Escape(line.Value ?? "—") + (line.OpenDiscrepancy is { } d ? $" [yellow](discrepancy {d})[/]" : "");
                var from = line.ChosenBy is { } by ? $"{line.Source ?? "stated"} (chosen by {by})" : line.Source ?? "—";
                table.AddRow(Markup.Escape(line.Fact), value, Markup.Escape(from), Time(line.ArrivedAt), Time(line.VerifiedAt), stale,
                    Markup.Escape(string.Join("; ", line.Sources.Select(s => $"{s.Source}: {s.Value} (verified {s.VerifiedAt.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}, {s.File ?? "?"})"))));
            }

            AnsiConsole.Write(table);
            if (view.Derived.Count > 0)
            {
                Output.Line("Derived: " + string.Join("; ", view.Derived.Select(d => $"{d.Fact} {d.Value}")));
            }

            return Output.Ok;
        });
        return command;
    }

    private static Command RebuildSheets()
    {
        var command = new Command("rebuild-sheets", "Rebuild every household's fact sheet (what the advisory framework reads) as of today, streaming the whole book.");
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var written = await new SourceRegistry(db, session.Clock).RebuildSheetsAsync(null, cancellationToken);
            Output.Success($"{written:N0} fact sheets rebuilt in {watch.Elapsed.TotalSeconds:0.0} s.");
            return Output.Ok;
        });
        return command;
    }

    private static Command FreshnessCommand()
    {
        var command = new Command("freshness", "The firm's freshness: the share of known facts still within their maximum age, overall and fact by fact.");
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var firm = await new Enrichment(db, session.Clock).FreshnessAsync(cancellationToken);
            Output.Success($"{(firm.Score is { } s ? s.ToString("P1", CultureInfo.InvariantCulture) : "—")} fresh: {firm.Known:N0} facts known for {firm.Households:N0} households, "
                + $"{firm.Stale:N0} stale in {firm.HouseholdsWithStaleFacts:N0} households (as of {firm.Today:uuuu-MM-dd}).");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Fact").AddColumn(new TableColumn("Max age").RightAligned())
                .AddColumn(new TableColumn("Known").RightAligned()).AddColumn(new TableColumn("Stale").RightAligned()).AddColumn(new TableColumn("Fresh").RightAligned());
            foreach (var f in firm.ByFact.Where(f => f.Known > 0))
            {
                table.AddRow(Markup.Escape(f.Fact), f.MaxAgeMonths is { } m ? $"{m} months" : "never", f.Known.ToString("N0", CultureInfo.InvariantCulture),
                    f.Stale.ToString("N0", CultureInfo.InvariantCulture), ((f.Known - f.Stale) / (double)f.Known).ToString("P0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });
        return command;
    }

    private static Command RefreshWork()
    {
        var command = new Command("refresh-work", "Start a fact-refresh process for the paraplanner of every client household with stale facts (one open per household at most). Safe to re-run.");
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var report = await new Enrichment(db, session.Clock).RaiseWorkAsync(session.Actor, cancellationToken);
            foreach (var error in report.Errors)
            {
                Console.Error.WriteLine(error);
            }

            Output.Success($"{report.HouseholdsWithStaleFacts:N0} households have stale facts: {report.Started:N0} refresh processes started, {report.AlreadyOpen:N0} already open.");
            return report.Errors.Count == 0 ? Output.Ok : 5;
        });
        return command;
    }

    private static string Time(Instant? at) => at?.ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>`ensemble import --source KEY FILE`: a source's CSV or JSON file, all or nothing.</summary>
    public static async Task<int> ImportAsync(Session session, Storage.EnsembleDb db, string source, string path, CancellationToken cancellationToken)
    {
        var result = await AnsiConsole.Status().StartAsync($"Importing {Path.GetFileName(path)} from {source}…", _ =>
            new SourceIntake(db, session.Clock).ImportFileAsync(source, path, session.Actor, cancellationToken));
        if (!result.IsSuccess)
        {
            return Output.Fail(result.Error!);
        }

        var report = result.Value;
        if (!report.Succeeded)
        {
            foreach (var error in report.Errors)
            {
                Console.Error.WriteLine(error);
            }

            Console.Error.WriteLine($"{report.Errors.Count} problem(s); nothing was imported.");
            return 2;
        }

        if (report.AlreadyImported)
        {
            Output.Success($"{Path.GetFileName(path)} was already imported from {source}; nothing changed.");
            return Output.Ok;
        }

        var c = report.Counts;
        Output.Success($"{source}: {report.Values:N0} values for {report.Entries:N0} rows: {c.ValuesCreated:N0} new, {c.ValuesChanged:N0} changed, "
            + $"{c.ValuesReverified:N0} re-verified, {c.ValuesUnchanged + c.ValuesOlder:N0} unchanged.");
        Output.Line($"Consolidated: {c.ConsolidatedChanged:N0} values changed across {c.Households:N0} households; discrepancies: {c.DiscrepanciesOpened:N0} opened, {c.DiscrepanciesClosed:N0} closed.");
        return Output.Ok;
    }
}
