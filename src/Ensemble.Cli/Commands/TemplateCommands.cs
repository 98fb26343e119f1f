using System.CommandLine;
using System.Globalization;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Library;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble templates: validate, list, show, import, export and see which versions are in use.</summary>
internal static class TemplateCommands
{
    public static Command Build()
    {
        var paths = new Argument<string[]>("paths") { Description = "Template files or folders of *.yaml.", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "Check template files and report every problem with file:line:column.") { paths };
        Runner.WithFirm(validate, async (parse, session, db, cancellationToken) =>
        {
            var diagnostics = await new TemplateLibrary(db, session.Clock).ValidateAsync(parse.GetValue(paths)!, cancellationToken);
            foreach (var d in diagnostics)
            {
                Console.Error.WriteLine(d);
            }

            if (diagnostics.Count > 0)
            {
                Console.Error.WriteLine($"{diagnostics.Count} problem(s) found.");
                return 2;
            }

            Output.Success("All templates are valid.");
            return Output.Ok;
        });

        var list = new Command("list", "List the firm's templates (latest versions).");
        Runner.WithFirm(list, async (_, session, db, cancellationToken) =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Key").AddColumn("Name").AddColumn("Category").AddColumn("Version").AddColumn("Steps").AddColumn("Starts");
            var library = new TemplateLibrary(db, session.Clock);
            foreach (var version in await library.ListAsync(cancellationToken))
            {
                var template = (await library.ShowAsync(version.Key, null, cancellationToken)).Value.Template;
                table.AddRow(
                    Markup.Escape(version.Key), Markup.Escape(version.Name), TemplateLibrary.CategoryFolder(version.Category),
                    version.Number.ToString(CultureInfo.InvariantCulture), template.Steps.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(Describe(template.Triggers)));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        var key = new Argument<string>("key") { Description = "Template key." };
        var number = new Option<int?>("--version") { Description = "A specific version (default: latest)." };
        var show = new Command("show", "Show a template's steps: who does what, when, after what.") { key, number };
        Runner.WithFirm(show, async (parse, session, db, cancellationToken) =>
            Runner.Report(await new TemplateLibrary(db, session.Clock).ShowAsync(parse.GetValue(key)!, parse.GetValue(number), cancellationToken), found =>
            {
                var (version, template) = found;
                AnsiConsole.Write(new Rule(Markup.Escape($"{template.Name} — version {version.Number}")).LeftJustified());
                Output.Line(template.Description.Trim());
                Output.Line($"Owner: {template.OwnerRole}. Runs for: {template.Scope.ToString().ToLowerInvariant()}. Starts: {Describe(template.Triggers)}.");
                var table = new Table().Border(TableBorder.Rounded).AddColumn("Step").AddColumn("Role").AddColumn("Due").AddColumn("After").AddColumn("Min").AddColumn("Notes");
                foreach (var s in template.Steps)
                {
                    var notes = string.Join("; ", new[]
                    {
                        s.Condition is null ? null : "only if " + s.Condition.Text,
                        s.Skippable ? "may be skipped" : null,
                        s.Checklist.Count == 0 ? null : "checklist: " + string.Join(", ", s.Checklist),
                    }.Where(n => n is not null));
                    table.AddRow(Markup.Escape(s.Title), Markup.Escape(s.Role), Markup.Escape(s.Due?.Text ?? "—"), Markup.Escape(string.Join(", ", s.After)), s.EstimatedMinutes.ToString(CultureInfo.InvariantCulture), Markup.Escape(notes));
                }

                AnsiConsole.Write(table);
            }));

        var import = new Command("import", "Import template files: all or nothing; a changed template becomes a new version.") { paths };
        Runner.WithFirm(import, async (parse, session, db, cancellationToken) =>
            Runner.Report(await new TemplateLibrary(db, session.Clock).ImportAsync(parse.GetValue(paths)!, session.Actor, cancellationToken), imports =>
            {
                foreach (var i in imports)
                {
                    Output.Line(i.Changed ? $"{i.Key}: version {i.Version}" : $"{i.Key}: unchanged (version {i.Version})");
                }

                Output.Success($"{imports.Count(i => i.Changed)} template(s) changed, {imports.Count(i => !i.Changed)} unchanged.");
            }));

        var folder = new Argument<string>("folder") { Description = "Where to write the YAML files." };
        var export = new Command("export", "Write every template to YAML files, one per template, in category folders.") { folder };
        Runner.WithFirm(export, async (parse, session, db, cancellationToken) =>
        {
            var count = await new TemplateLibrary(db, session.Clock).ExportAsync(parse.GetValue(folder)!, cancellationToken);
            Output.Success($"Wrote {count} template(s) to {parse.GetValue(folder)}.");
            return Output.Ok;
        });

        var optionalKey = new Argument<string?>("key") { Description = "Template key (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var versions = new Command("versions", "Which instances run on which template version.") { optionalKey };
        Runner.WithFirm(versions, async (parse, session, db, cancellationToken) =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Template").AddColumn("Version").AddColumn("Created").AddColumn("By").AddColumn("Running").AddColumn("Finished");
            foreach (var u in await new TemplateLibrary(db, session.Clock).UsageAsync(parse.GetValue(optionalKey), cancellationToken))
            {
                table.AddRow(Markup.Escape(u.Key), u.Version.ToString(CultureInfo.InvariantCulture), u.CreatedAt.ToString("uuuu-MM-dd HH:mm", null), Markup.Escape(u.CreatedBy), u.Running.ToString(CultureInfo.InvariantCulture), u.Finished.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return Output.Ok;
        });

        return new Command("templates", "The firm's workflow templates.") { validate, list, show, import, export, versions };
    }

    private static string Describe(IReadOnlyList<Trigger> triggers) => triggers.Count == 0
        ? "by hand"
        : string.Join(", ", triggers.Select(t => t switch
        {
            ManualTrigger => "by hand",
            EventTrigger { Event: EventKind.ProcessCompleted } e => $"after {e.TemplateKey}",
            EventTrigger e => e.Event switch
            {
                EventKind.HouseholdBecameClient => "when a household becomes a client",
                _ => "when an account is opened",
            },
            PeriodicTrigger { Cadence: Cadence.Cron } p => $"on schedule {p.CronExpression}",
            PeriodicTrigger p => p.Cadence.ToString().ToLowerInvariant(),
            _ => "?",
        }));
}
