using System.CommandLine;
using System.Globalization;
using Ensemble.Common;
using Ensemble.Opportunities;
using Ensemble.Storage.Households;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Work;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Ensemble.Cli.Commands;

/// <summary>ensemble opportunities: open, move, list, show and report on the pipeline of potential business.</summary>
internal static class OpportunityCommands
{
    public static Command Build() =>
        new("opportunities", "The pipeline of potential business per household: open, move, list, show, report.")
        {
            Open(), Move(), List(), Show(), Report(),
        };

    private static Command Open()
    {
        var household = new Argument<string>("household") { Description = "Household key, e.g. HH-1001." };
        var kind = new Option<string>("--kind") { Description = $"What kind of business: {OpportunityStages.KindChoices}.", Required = true };
        var title = new Option<string>("--title") { Description = "What it is, e.g. \"Roll over the old 401(k)\".", Required = true };
        var assets = new Option<decimal?>("--assets") { Description = "Estimated assets it would bring, e.g. 250000." };
        var revenue = new Option<decimal?>("--revenue") { Description = "Estimated yearly revenue to the firm, e.g. 2500." };
        var owner = new Option<string>("--owner") { Description = "The role that moves it on, e.g. wealth-partner.", Required = true };
        var close = new Option<string?>("--close") { Description = "Expected close date, yyyy-MM-dd." };
        var touchpoint = new Option<long?>("--touchpoint") { Description = "The id of the meeting it came from, if any." };
        var command = new Command("open", "Open an opportunity: a prospect's starts at introduction, a client's at identified.")
        {
            household, kind, title, assets, revenue, owner, close, touchpoint,
        };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var key = parse.GetValue(household)!;
            if (await new HouseholdDirectory(db, session.Clock).IdOfAsync(key, cancellationToken) is not { } id)
            {
                return Output.Fail(Error.NotFound($"There is no household {key}; `ensemble households list` shows them."));
            }

            var input = new OpportunityInput(
                parse.GetValue(kind), parse.GetValue(title), parse.GetValue(assets), parse.GetValue(revenue), parse.GetValue(owner),
                parse.GetValue(close), parse.GetValue(touchpoint));
            var pipeline = new Pipeline(db, session.Clock);
            var (_, errors) = await pipeline.CheckAsync(id, input, cancellationToken: cancellationToken);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            return Runner.Report(await pipeline.OpenAsync(id, input, session.Actor, cancellationToken), o =>
                Output.Success($"Opened opportunity #{o.Id} for {key} at {OpportunityStages.Name(o.Stage)}: {o.Title}."));
        });
        return command;
    }

    private static Command Move()
    {
        var id = new Argument<long>("id") { Description = "The opportunity's number (see `ensemble opportunities list`)." };
        var stage = new Option<string>("--stage") { Description = $"The stage to move to: {OpportunityStages.StageChoices}.", Required = true };
        var note = new Option<string?>("--note") { Description = "Why, or what happens next." };
        var command = new Command("move", "Move an opportunity to another stage; won and lost close it.") { id, stage, note };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var text = parse.GetValue(stage)!;
            if (OpportunityStages.ParseStage(text) is not { } to)
            {
                return Output.Fail($"--stage: \"{text}\" is not a stage; use {OpportunityStages.StageChoices}.");
            }

            var moved = await new Pipeline(db, session.Clock).MoveAsync(new OpportunityId(parse.GetValue(id)), to, parse.GetValue(note), session.Actor, cancellationToken: cancellationToken);
            return Runner.Report(moved, o => Output.Success($"Opportunity #{o.Id} is now at {OpportunityStages.Name(o.Stage)}{(o.IsOpen ? "." : " and closed.")}"));
        });
        return command;
    }

    private static Command List()
    {
        var household = new Option<string?>("--household") { Description = "Only this household's opportunities." };
        var stage = new Option<string?>("--stage") { Description = $"Only this stage: {OpportunityStages.StageChoices}." };
        var kind = new Option<string?>("--kind") { Description = $"Only this kind: {OpportunityStages.KindChoices}." };
        var owner = new Option<string?>("--owner") { Description = "Only those this role owns." };
        var closed = new Option<bool>("--closed") { Description = "Include won and lost ones." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 100, Description = "At most this many lines." };
        var command = new Command("list", "The pipeline by stage, soonest expected close first, with totals per stage.") { household, stage, kind, owner, closed, limit };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var (filter, errors) = Filter(parse.GetValue(stage), parse.GetValue(kind), parse.GetValue(owner), parse.GetValue(closed));
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }

            if (parse.GetValue(household) is { } key)
            {
                if (await new HouseholdDirectory(db, session.Clock).IdOfAsync(key, cancellationToken) is not { } householdId)
                {
                    return Output.Fail(Error.NotFound($"There is no household {key}; `ensemble households list` shows them."));
                }

                filter = filter with { Household = householdId, IncludeClosed = true };
            }

            var pipeline = new Pipeline(db, session.Clock);
            var lines = await pipeline.ListAsync(filter, Math.Max(1, parse.GetValue(limit)), cancellationToken: cancellationToken);
            if (lines.Count == 0)
            {
                Output.Line("No opportunities match.");
                return Output.Ok;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("#").AddColumn("Stage").AddColumn("Household").AddColumn("Kind").AddColumn("Title")
                .AddColumn(new TableColumn("Assets").RightAligned()).AddColumn(new TableColumn("Revenue / yr").RightAligned())
                .AddColumn("Owner").AddColumn("Expected close");
            foreach (var o in lines)
            {
                table.AddRow(
                    o.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(OpportunityStages.Name(o.Stage)), Markup.Escape($"{o.HouseholdKey} {o.HouseholdName}"),
                    Markup.Escape(OpportunityStages.Name(o.Kind)), Markup.Escape(o.Title), Amount(o.EstimatedAssets), Amount(o.EstimatedRevenue),
                    Markup.Escape(o.OwnerRole), Markup.Escape(o.ExpectedClose?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture) ?? "—"));
            }

            AnsiConsole.Write(table);
            foreach (var total in (await pipeline.TotalsAsync(filter, cancellationToken: cancellationToken)).Where(t => t.Count > 0))
            {
                Output.Line($"  {OpportunityStages.Name(total.Stage)}: {total.Count}, assets {Amount(total.EstimatedAssets)}, revenue {Amount(total.EstimatedRevenue)} a year");
            }

            return Output.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("id") { Description = "The opportunity's number." };
        var command = new Command("show", "One opportunity and its way through the stages.") { id };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var o = await new Pipeline(db, session.Clock).FindAsync(new OpportunityId(parse.GetValue(id)), cancellationToken: cancellationToken);
            if (o is null)
            {
                return Output.Fail(Error.NotFound($"There is no opportunity {parse.GetValue(id)}; `ensemble opportunities list` shows them."));
            }

            var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
            Output.Success($"#{o.Id} {o.Title} — {OpportunityStages.Name(o.Stage)}");
            Output.Line($"  {o.HouseholdKey} {o.HouseholdName} · {OpportunityStages.Name(o.Kind)} · owner {o.OwnerRole}");
            Output.Line($"  Estimated assets {Amount(o.EstimatedAssets)}, revenue {Amount(o.EstimatedRevenue)} a year; expected close {o.ExpectedClose?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture) ?? "not set"}");
            Output.Line($"  Opened {When(o.OpenedAt, zone)} by {o.OpenedBy}{(o.Note is null ? "" : $"; note: {o.Note}")}");
            foreach (var change in o.History ?? [])
            {
                Output.Line($"  {When(change.At, zone)}  {OpportunityStages.Name(change.From)} → {OpportunityStages.Name(change.To)} by {change.By} (after {Days(change.TimeInFrom)})");
            }

            return Output.Ok;
        });
        return command;
    }

    private static Command Report()
    {
        var from = new Option<string?>("--from") { Description = "First day of the period, yyyy-MM-dd (default: a year ago)." };
        var to = new Option<string?>("--to") { Description = "Last day of the period, yyyy-MM-dd (default: today)." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the report to this CSV file." };
        var command = new Command("report", "Value by stage, conversion between stages and time in stage for a period.") { from, to, csv };
        Runner.WithFirm(command, async (parse, session, db, cancellationToken) =>
        {
            var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(session.Clock);
            var (defaultFrom, defaultTo) = PipelineReports.DefaultPeriod(today);
            var start = Date(parse.GetValue(from), "--from", defaultFrom);
            var end = Date(parse.GetValue(to), "--to", defaultTo);
            if (!start.IsSuccess || !end.IsSuccess)
            {
                return Output.Fail((start.Error ?? end.Error)!);
            }

            if (start.Value > end.Value)
            {
                return Output.Fail($"--to: the period ends ({end.Value:uuuu-MM-dd}) before it starts ({start.Value:uuuu-MM-dd}).");
            }

            var report = await new PipelineReports(db).BuildAsync(start.Value, end.Value, cancellationToken: cancellationToken);
            Output.Success($"Pipeline {report.From:uuuu-MM-dd} to {report.To:uuuu-MM-dd}");

            var value = new Table().Title("Value by stage (open now; won and lost in the period)").AddColumn("Stage")
                .AddColumn(new TableColumn("Count").RightAligned()).AddColumn(new TableColumn("Est. assets").RightAligned()).AddColumn(new TableColumn("Est. revenue / yr").RightAligned());
            foreach (var r in report.Value)
            {
                value.AddRow(Markup.Escape(OpportunityStages.Name(r.Stage)), r.Count.ToString(CultureInfo.InvariantCulture), Amount(r.EstimatedAssets), Amount(r.EstimatedRevenue));
            }

            AnsiConsole.Write(value);

            var conversion = new Table().Title("Conversion (opportunities opened in the period)").AddColumn("From → to")
                .AddColumn(new TableColumn("Reached").RightAligned()).AddColumn(new TableColumn("Went on").RightAligned()).AddColumn(new TableColumn("Won").RightAligned());
            foreach (var r in report.Conversion)
            {
                conversion.AddRow(
                    Markup.Escape($"{OpportunityStages.Name(r.From)} → {OpportunityStages.Name(r.To)}"), r.Reached.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape($"{r.Advanced} ({OpportunityStages.Percent(r.AdvancedShare)})"), Markup.Escape($"{r.Won} ({OpportunityStages.Percent(r.WonShare)})"));
            }

            AnsiConsole.Write(conversion);

            var time = new Table().Title("Time in stage (stays that ended in the period)").AddColumn("Stage")
                .AddColumn(new TableColumn("Stays").RightAligned()).AddColumn(new TableColumn("Median").RightAligned()).AddColumn(new TableColumn("90th percentile").RightAligned());
            foreach (var r in report.TimeInStage)
            {
                time.AddRow(Markup.Escape(OpportunityStages.Name(r.Stage)), r.Count.ToString(CultureInfo.InvariantCulture), Days(r.Median), Days(r.P90));
            }

            AnsiConsole.Write(time);

            if (parse.GetValue(csv) is { } file)
            {
                await using (var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false)))
                {
                    PipelineCsv.Write(writer, report);
                }

                Output.Success($"Wrote {file.FullName}.");
            }

            return Output.Ok;
        });
        return command;
    }

    private static (PipelineQuery Filter, List<FieldError> Errors) Filter(string? stage, string? kind, string? owner, bool closed)
    {
        var errors = new List<FieldError>();
        var parsedStage = OpportunityStages.ParseStage(stage);
        if (stage is not null && parsedStage is null)
        {
            errors.Add(new("--stage", $"\"{stage}\" is not a stage; use {OpportunityStages.StageChoices}."));
        }

        var parsedKind = OpportunityStages.ParseKind(kind);
        if (kind is not null && parsedKind is null)
        {
            errors.Add(new("--kind", $"\"{kind}\" is not a kind; use {OpportunityStages.KindChoices}."));
        }

        return (new PipelineQuery(parsedStage, parsedKind, owner, closed), errors);
    }

    /// <summary>Every field at fault, one line each, named as the option that carries it.</summary>
    private static int Invalid(IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        foreach (var error in list.SkipLast(1))
        {
            Console.Error.WriteLine($"{Option(error.Field)}: {error.Message}");
        }

        return Output.Fail(Error.Invalid($"{Option(list[^1].Field)}: {list[^1].Message}"));
    }

    private static string Option(string field) => field switch
    {
        "estimatedAssets" => "--assets",
        "estimatedRevenue" => "--revenue",
        "ownerRole" => "--owner",
        "expectedClose" => "--close",
        "touchpointId" => "--touchpoint",
        _ when field.StartsWith("--", StringComparison.Ordinal) => field,
        _ => "--" + field,
    };

    private static Result<LocalDate> Date(string? text, string option, LocalDate fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        var parsed = LocalDatePattern.Iso.Parse(text.Trim());
        return parsed.Success ? parsed.Value : Error.Invalid($"{option}: \"{text}\" is not a date; write it as yyyy-MM-dd.");
    }

    private static string Amount(decimal? amount) => amount is { } a ? new Money(a).ToString() : "—";

    private static string Days(Duration? duration) =>
        duration is { } d ? d.TotalDays.ToString("0.0", CultureInfo.InvariantCulture) + " days" : "—";

    private static string When(Instant at, DateTimeZone zone) => at.InZone(zone).ToString("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
