using Ensemble.Common;
using Ensemble.Opportunities;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Opportunities;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Api;

/// <summary>
/// The opportunity pipeline: a household's opportunities (open, move, revise), the firm's pipeline filtered to
/// the households the caller may see, and the pipeline report (value by stage, conversion, time in stage).
/// </summary>
internal static class OpportunitiesApi
{
    /// <summary>An opportunity as sent to open or revise one; kind and stage are words (rollover, fact-finding).</summary>
    public sealed record OpportunityRequest(
        string? Kind, string? Title, decimal? EstimatedAssets, decimal? EstimatedRevenue, string? OwnerRole, string? ExpectedClose, long? TouchpointId);

    public sealed record StageRequest(string? Stage, string? Note);

    public static void Map(RouteGroupBuilder api)
    {
        var household = api.MapGroup("/households/{key}/opportunities").WithTags("Opportunities");
        household.MapGet("/", ForHousehold).Allow(AccessKind.Household).WithSummary("The household's opportunities with their stage history; ?open=true leaves out won and lost ones.");
        household.MapPost("/", Open).Allow(AccessKind.Household).WithSummary("Open an opportunity: a prospect's starts at Introduction, a client's at Identified.");
        household.MapGet("/{id:long}", Get).Allow(AccessKind.Household).WithSummary("One opportunity with its history; its ETag is the version to send in If-Match.");
        household.MapPut("/{id:long}", Revise).Allow(AccessKind.Household).WithSummary("Revise kind, title, estimates, owner role and expected close; If-Match refuses a stale write (412).");
        household.MapPost("/{id:long}/stage", Move).Allow(AccessKind.Household).WithSummary("Move to a stage, with a note; Won and Lost close it. Honours If-Match.");

        api.MapGet("/opportunities", List).Allow(AccessKind.AnyStaff).WithTags("Opportunities")
            .WithSummary("The pipeline in the households I may see, by stage then expected close; filter by ?stage, ?kind, ?owner (role); ?closed=true adds won and lost; paged.");

        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/pipeline", Report).Allow(AccessKind.ManagePractice).WithSummary("Pipeline value by stage, conversion between stages and time in stage for ?from..?to (default: the last year).");
        reports.MapGet("/pipeline.csv", ReportCsv).Allow(AccessKind.ManagePractice).WithSummary("The pipeline report as CSV, a row per stage.");
    }

    private static async Task<IResult> ForHousehold(bool? open, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Results.Ok(await new Pipeline(db, clock).ForHouseholdAsync(HouseholdRoute.Id(http), includeClosed: open != true, cancellationToken));

    private static async Task<IResult> Get(long id, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var view = await new Pipeline(db, clock).FindAsync(new OpportunityId(id), HouseholdRoute.Id(http), cancellationToken);
        if (view is null)
        {
            return NotFound(id);
        }

        http.Response.Headers.ETag = ETag(view.Version);
        return Results.Ok(view);
    }

    private static async Task<IResult> Open(string key, OpportunityRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var pipeline = new Pipeline(db, clock);
        var household = HouseholdRoute.Id(http);
        var input = Input(body);
        var (_, errors) = await pipeline.CheckAsync(household, input, cancellationToken: cancellationToken);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var opened = await pipeline.OpenAsync(household, input, caller.Handle, cancellationToken);
        return await RespondAsync(opened, pipeline, household, http, v => Results.Created($"/api/households/{Uri.EscapeDataString(key)}/opportunities/{v.Id}", v), cancellationToken);
    }

    private static async Task<IResult> Revise(long id, OpportunityRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var pipeline = new Pipeline(db, clock);
        var household = HouseholdRoute.Id(http);
        var current = await CurrentAsync(db, id, household, cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        if (Stale(http, id, current.Version) is { } stale)
        {
            return stale;
        }

        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        var input = Input(body) with { TouchpointId = null };
        var (_, errors) = await pipeline.CheckAsync(household, input, current.OpenedAt.InZone(zone).Date, cancellationToken);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var revised = await pipeline.ReviseAsync(new OpportunityId(id), input, caller.Handle, household, current.Version, cancellationToken);
        return await RespondAsync(revised, pipeline, household, http, Results.Ok, cancellationToken);
    }

    private static async Task<IResult> Move(long id, StageRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var stage = OpportunityStages.ParseStage(body?.Stage);
        if (stage is null)
        {
            errors.Add(new("stage", string.IsNullOrWhiteSpace(body?.Stage)
                ? $"Name the stage to move to: {OpportunityStages.StageChoices}."
                : $"\"{body.Stage}\" is not a stage; use {OpportunityStages.StageChoices}."));
        }

        if (body?.Note is { Length: > OpportunityInput.NoteLength })
        {
            errors.Add(new("note", $"A note can be at most {OpportunityInput.NoteLength:#,0} characters."));
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var household = HouseholdRoute.Id(http);
        var current = await CurrentAsync(db, id, household, cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        if (Stale(http, id, current.Version) is { } stale)
        {
            return stale;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var pipeline = new Pipeline(db, clock);
        var moved = await pipeline.MoveAsync(new OpportunityId(id), stage!.Value, body!.Note, caller.Handle, household, current.Version, cancellationToken);
        return await RespondAsync(moved, pipeline, household, http, Results.Ok, cancellationToken);
    }

    private static async Task<IResult> List(
        string? stage, string? kind, string? owner, bool? closed, int? limit, int? offset,
        CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var (filter, errors) = Filter(stage, kind, owner, closed);
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var lines = await new Pipeline(db, clock).ListAsync(filter, take + 1, skip, visible, cancellationToken);
        return Results.Ok(Paging.Of(lines, skip, take));
    }

    private static async Task<IResult> Report(string? from, string? to, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var period = await PeriodAsync(from, to, db, clock, cancellationToken);
        return period.Invalid ?? Results.Ok(await new PipelineReports(db).BuildAsync(period.From, period.To, cancellationToken: cancellationToken));
    }

    private static async Task<IResult> ReportCsv(string? from, string? to, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var period = await PeriodAsync(from, to, db, clock, cancellationToken);
        if (period.Invalid is { } invalid)
        {
            return invalid;
        }

        var report = await new PipelineReports(db).BuildAsync(period.From, period.To, cancellationToken: cancellationToken);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        PipelineCsv.Write(writer, report);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", PipelineCsv.FileName(report));
    }

    /// <summary>Reads the list filters; each word that is not a stage or kind is named as the field at fault.</summary>
    public static (PipelineQuery Filter, List<FieldError> Errors) Filter(string? stage, string? kind, string? owner, bool? closed)
    {
        var errors = new List<FieldError>();
        var parsedStage = OpportunityStages.ParseStage(stage);
        if (!string.IsNullOrWhiteSpace(stage) && parsedStage is null)
        {
            errors.Add(new("stage", $"\"{stage}\" is not a stage; use {OpportunityStages.StageChoices}."));
        }

        var parsedKind = OpportunityStages.ParseKind(kind);
        if (!string.IsNullOrWhiteSpace(kind) && parsedKind is null)
        {
            errors.Add(new("kind", $"\"{kind}\" is not a kind; use {OpportunityStages.KindChoices}."));
        }

        if (owner is { Length: > OpportunityInput.RoleLength })
        {
            errors.Add(new("owner", $"A role key can be at most {OpportunityInput.RoleLength} characters."));
        }

        return (new PipelineQuery(parsedStage, parsedKind, string.IsNullOrWhiteSpace(owner) ? null : owner, closed == true), errors);
    }

    /// <summary>The report period from ?from and ?to (yyyy-MM-dd); by default the year up to today.</summary>
    public static async Task<(LocalDate From, LocalDate To, IResult? Invalid)> PeriodAsync(string? from, string? to, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var (defaultFrom, defaultTo) = PipelineReports.DefaultPeriod(today);
        var errors = new List<FieldError>();
        LocalDate Read(string field, string? text, LocalDate fallback)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            var parsed = LocalDatePattern.Iso.Parse(text.Trim());
            if (!parsed.Success)
            {
                errors.Add(new(field, $"\"{text}\" is not a date; write it as yyyy-MM-dd."));
                return fallback;
            }

            return parsed.Value;
        }

        var start = Read("from", from, defaultFrom);
        var end = Read("to", to, defaultTo);
        if (errors.Count == 0 && start > end)
        {
            errors.Add(new("to", $"The period ends ({end:uuuu-MM-dd}) before it starts ({start:uuuu-MM-dd})."));
        }
        else if (errors.Count == 0 && Period.Between(start, end, PeriodUnits.Days).Days > 3660)
        {
            errors.Add(new("from", "A report covers at most ten years."));
        }

        return (start, end, errors.Count > 0 ? Invalid(errors) : null);
    }

    private static OpportunityInput Input(OpportunityRequest? body) =>
        new(body?.Kind, body?.Title, body?.EstimatedAssets, body?.EstimatedRevenue, body?.OwnerRole, body?.ExpectedClose, body?.TouchpointId);

    private static IResult Invalid(IEnumerable<FieldError> errors) => Problems.Invalid([.. errors.Select(e => (e.Field, e.Message))]);

    private static IResult NotFound(long id) =>
        Results.Problem(detail: $"This household has no opportunity {id}.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> RespondAsync(
        Result<Opportunity> result, Pipeline pipeline, HouseholdId household, HttpContext http, Func<OpportunityView, IResult> ok, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!);
        }

        var view = (await pipeline.FindAsync(result.Value.Id, household, cancellationToken))!;
        http.Response.Headers.ETag = ETag(view.Version);
        return ok(view);
    }

    private static Task<Current?> CurrentAsync(EnsembleDb db, long id, HouseholdId household, CancellationToken cancellationToken) =>
        db.Opportunities.AsNoTracking()
            .Where(o => o.Id == new OpportunityId(id) && o.HouseholdId == household)
            .Select(o => new Current(o.Version, o.OpenedAt))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>With If-Match, a write to an opportunity that changed since it was read is refused (412) and changes nothing.</summary>
    private static IResult? Stale(HttpContext http, long id, int version)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
        {
            return null;
        }

        var current = ETag(version);
        return ifMatch.Split(',').Select(t => t.Trim()).Contains(current)
            ? null
            : Results.Problem(detail: $"Opportunity {id} changed since you read it (now {current}); read it again and retry.", statusCode: StatusCodes.Status412PreconditionFailed);
    }

    private static string ETag(int version) => $"\"{version}\"";

    private sealed record Current(int Version, Instant OpenedAt);
}
