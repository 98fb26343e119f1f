using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>
/// Campaigns: one message to many households, written as Liquid templates, approved by compliance, then queued to
/// every recipient. Staff write, change, submit and send them; only a compliance reviewer who did not write one
/// approves or rejects it. Lists of recipients show the households the caller may see; one household's preview
/// needs access to that household.
/// </summary>
internal static class CampaignsApi
{
    /// <summary>
    /// A campaign as sent to create or change one. Give audience criteria or a saved audience's name; a standing alert
    /// follow-up message (kind alert-follow-up) names its advisory rule in alertRule instead.
    /// </summary>
    public sealed record CampaignRequest(
        string? Name, string? Kind, string? Subject, string? Body,
        IReadOnlyList<string>? Tiers, IReadOnlyList<string>? Tags, IReadOnlyList<string>? AccountTypes, IReadOnlyList<string>? Stages,
        string? SavedAudience, string? Deadline, string? AlertRule = null);

    /// <summary>A reviewer's decision: "approve" or "reject", and a comment (required to reject).</summary>
    public sealed record ReviewRequest(string? Decision, string? Comment);

    public sealed record AudienceRequest(IReadOnlyList<string>? Tiers, IReadOnlyList<string>? Tags, IReadOnlyList<string>? AccountTypes, IReadOnlyList<string>? Stages);

    public static void Map(RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", List).Allow(AccessKind.AnyStaff).WithSummary("Campaigns, most recently changed first; ?status (draft, pending-approval, approved, rejected, sent); paged.");
        campaigns.MapPost("/", Create).Allow(AccessKind.AnyStaff).WithSummary("Write a campaign: name, kind, subject and body templates (Liquid), audience, deadline. Template problems come back with line and column.");
        campaigns.MapGet("/fields", Fields).Allow(AccessKind.AnyStaff).WithSummary("The merge fields a template may use, e.g. {{ person.first_name }}.");
        campaigns.MapGet("/audiences", Audiences).Allow(AccessKind.AnyStaff).WithSummary("The firm's saved audiences.");
        campaigns.MapPut("/audiences/{name}", SaveAudience).Allow(AccessKind.AnyStaff).WithSummary("Save criteria (tiers, tags, accountTypes, stages) under a name to reuse; replaces what was saved under it.");
        campaigns.MapDelete("/audiences/{name}", DeleteAudience).Allow(AccessKind.AnyStaff).WithSummary("Delete a saved audience; campaigns that used it keep their copy.");
        campaigns.MapGet("/{id:long}", Get).Allow(AccessKind.AnyStaff).WithSummary("One campaign: content, template problems, approval history, last send and delivery counts. Its ETag is the version for If-Match.");
        campaigns.MapPut("/{id:long}", Update).Allow(AccessKind.AnyStaff).WithSummary("Change a campaign; changing what is sent or to whom voids its approval. If-Match refuses a stale write (412).");
        campaigns.MapGet("/{id:long}/audience", AudienceOf).Allow(AccessKind.AnyStaff).WithSummary("Who it reaches now: counts by channel and of those left out, and a page of recipients in households I may see.");
        campaigns.MapGet("/{id:long}/missing", Missing).Allow(AccessKind.AnyStaff).WithSummary("Recipients with something in the way: a merge field without a value, an invalid address, an unusable preferred channel.");
        campaigns.MapGet("/{id:long}/preview/{key}", Preview).Allow(AccessKind.Household).WithSummary("The message as the household would get it: channel, address, subject, text and HTML.");
        campaigns.MapPost("/{id:long}/submit", Submit).Allow(AccessKind.AnyStaff).WithSummary("Submit a draft for compliance approval; refused while its templates have problems. Honours If-Match.");
        campaigns.MapPost("/{id:long}/review", Review).Allow(AccessKind.ManagePractice).WithSummary("Approve or reject a submitted campaign, with a comment; only compliance, and never its author. Honours If-Match.");
        campaigns.MapPost("/{id:long}/send", Send).Allow(AccessKind.AnyStaff).WithSummary("Queue an approved campaign to every deliverable recipient in one transaction; again, only to those not yet queued.");
        campaigns.MapGet("/{id:long}/recipients", Recipients).Allow(AccessKind.AnyStaff).WithSummary("Delivery per recipient from the outbox, and counts per status; ?status (queued, sent, failed…); paged.");
    }

    private static async Task<IResult> List(string? status, int? limit, int? offset, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var parsed = CampaignStatuses.Parse(status);
        if (!string.IsNullOrWhiteSpace(status) && parsed is null)
        {
            return Problems.Invalid(("status", $"\"{status}\" is not a status; use {CampaignStatuses.Choices}."));
        }

        var lines = await new CampaignBook(db, clock).ListAsync(parsed, take + 1, skip, cancellationToken);
        return Results.Ok(Paging.Of(lines, skip, take));
    }

    private static IResult Fields() => Results.Ok(MergeFields.All);

    private static async Task<IResult> Create(CampaignRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        var input = Input(body);
        var (_, problems) = await book.CheckAsync(input, cancellationToken);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var created = await book.CreateAsync(input, caller.Handle, cancellationToken);
        return await RespondAsync(created, book, http, v => Results.Created($"/api/campaigns/{v.Id}", v), cancellationToken);
    }

    private static async Task<IResult> Get(long id, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var view = await new CampaignBook(db, clock).FindAsync(new CampaignId(id), cancellationToken);
        if (view is null)
        {
            return NotFound(id);
        }

        http.Response.Headers.ETag = ETag(view.Version);
        return Results.Ok(view);
    }

    private static async Task<IResult> Update(long id, CampaignRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        if (await PreconditionAsync(book, id, http, cancellationToken) is { } refused)
        {
            return refused;
        }

        var input = Input(body);
        var (_, problems) = await book.CheckAsync(input, cancellationToken);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var revised = await book.ReviseAsync(new CampaignId(id), input, caller.Handle, IfMatch(http), cancellationToken);
        return await RespondAsync(revised, book, http, Results.Ok, cancellationToken);
    }

    private static async Task<IResult> Submit(long id, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        if (await PreconditionAsync(book, id, http, cancellationToken) is { } refused)
        {
            return refused;
        }

        var current = (await book.FindAsync(new CampaignId(id), cancellationToken))!;
        if (current.Status == CampaignStatus.Draft.Key() && current.Problems.Count > 0)
        {
            return Invalid(current.Problems);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var submitted = await book.SubmitAsync(new CampaignId(id), caller.Handle, IfMatch(http), cancellationToken);
        return await RespondAsync(submitted, book, http, Results.Ok, cancellationToken);
    }

    private static async Task<IResult> Review(long id, ReviewRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        if (await PreconditionAsync(book, id, http, cancellationToken) is { } refused)
        {
            return refused;
        }

        var decision = body?.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("approve" or "approved" or "reject" or "rejected"))
        {
            return Problems.Invalid(("decision", "Say \"approve\" or \"reject\"."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var reviewed = await book.ReviewAsync(new CampaignId(id), decision.StartsWith("approve", StringComparison.Ordinal), body!.Comment, caller.Handle, IfMatch(http), cancellationToken);
        return await RespondAsync(reviewed, book, http, Results.Ok, cancellationToken);
    }

    private static async Task<IResult> Send(long id, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var book = new CampaignBook(db, clock);
        if (await PreconditionAsync(book, id, http, cancellationToken) is { } refused)
        {
            return refused;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var sent = await new CampaignSender(db, clock).SendAsync(new CampaignId(id), caller.Handle, IfMatch(http), cancellationToken);
        if (!sent.IsSuccess)
        {
            return Problems.From(sent.Error!);
        }

        var view = (await book.FindAsync(new CampaignId(id), cancellationToken))!;
        http.Response.Headers.ETag = ETag(view.Version);
        return Results.Ok(new { report = sent.Value, campaign = view });
    }

    private static Task<IResult> AudienceOf(long id, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        SummaryAsync(id, onlyIssues: false, limit, offset, callers, db, clock, cancellationToken);

    private static Task<IResult> Missing(long id, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        SummaryAsync(id, onlyIssues: true, limit, offset, callers, db, clock, cancellationToken);

    private static async Task<IResult> SummaryAsync(long id, bool onlyIssues, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var summary = await new CampaignRecipients(db, clock).SummarizeAsync(new CampaignId(id), visible, onlyIssues, take, skip, cancellationToken);
        return summary is null ? NotFound(id) : Results.Ok(summary);
    }

    private static async Task<IResult> Preview(long id, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var preview = await new CampaignRecipients(db, clock).PreviewAsync(new CampaignId(id), HouseholdRoute.Id(http), cancellationToken);
        return preview is null ? NotFound(id) : Results.Ok(preview);
    }

    private static async Task<IResult> Recipients(
        long id, string? status, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        DeliveryStatus? only = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<DeliveryStatus>(status.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid(("status", $"\"{status}\" is not a delivery status; use queued, sending, sent, delivered, failed or bounced."));
            }

            only = parsed;
        }

        if (await new CampaignBook(db, clock).VersionAsync(new CampaignId(id), cancellationToken) is null)
        {
            return NotFound(id);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var progress = new CampaignProgress(db);
        var counts = await progress.CountsAsync(new CampaignId(id), cancellationToken);
        var lines = await progress.RecipientsAsync(new CampaignId(id), only, visible, take + 1, skip, cancellationToken);
        return Results.Ok(new { counts, recipients = Paging.Of(lines, skip, take) });
    }

    private static async Task<IResult> Audiences(EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Results.Ok(await new SavedAudiences(db, clock).ListAsync(cancellationToken));

    private static async Task<IResult> SaveAudience(string name, AudienceRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var problems = SavedAudiences.Check(name, body?.Tiers, body?.Tags, body?.AccountTypes, body?.Stages, out _);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var saved = await new SavedAudiences(db, clock).SaveAsync(name, body?.Tiers, body?.Tags, body?.AccountTypes, body?.Stages, caller.Handle, cancellationToken);
        return Problems.Of(saved, Results.Ok);
    }

    private static async Task<IResult> DeleteAudience(string name, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var deleted = await new SavedAudiences(db, clock).DeleteAsync(name, caller.Handle, cancellationToken);
        return Problems.Of(deleted, _ => Results.NoContent());
    }

    private static CampaignInput Input(CampaignRequest? body) =>
        new(body?.Name, body?.Kind, body?.Subject, body?.Body, body?.Tiers, body?.Tags, body?.AccountTypes, body?.Stages, body?.SavedAudience, body?.Deadline, body?.AlertRule);

    /// <summary>A 400 naming each field; template problems carry their place, e.g. "3:14: Unknown merge field …".</summary>
    private static IResult Invalid(IEnumerable<CampaignProblem> problems) =>
        Problems.Invalid([.. problems.Select(p => (p.Field, p.Line is null ? p.Message : $"{p.Place[(p.Field.Length + 1)..]}: {p.Message}"))]);

    private static IResult NotFound(long id) =>
        Results.Problem(detail: $"There is no campaign {id}.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> RespondAsync(Result<Campaign> result, CampaignBook book, HttpContext http, Func<CampaignView, IResult> ok, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            var error = result.Error!;
            return error.Kind == ErrorKind.Invalid && error.Message.StartsWith("comment: ", StringComparison.Ordinal)
                ? Problems.Invalid(("comment", error.Message["comment: ".Length..]))
                : Problems.From(error);
        }

        var view = (await book.FindAsync(result.Value.Id, cancellationToken))!;
        http.Response.Headers.ETag = ETag(view.Version);
        return ok(view);
    }

    /// <summary>404 for a campaign that does not exist; with If-Match, 412 for one that changed since it was read.</summary>
    private static async Task<IResult?> PreconditionAsync(CampaignBook book, long id, HttpContext http, CancellationToken cancellationToken)
    {
        if (await book.VersionAsync(new CampaignId(id), cancellationToken) is not { } version)
        {
            return NotFound(id);
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
        {
            return null;
        }

        var current = ETag(version);
        return ifMatch.Split(',').Select(t => t.Trim()).Contains(current)
            ? null
            : Results.Problem(detail: $"Campaign {id} changed since you read it (now {current}); read it again and retry.", statusCode: StatusCodes.Status412PreconditionFailed);
    }

    /// <summary>The version named by If-Match, so the write itself refuses a change made in between.</summary>
    private static int? IfMatch(HttpContext http)
    {
        var tag = http.Request.Headers.IfMatch.ToString().Split(',').Select(t => t.Trim().Trim('"')).FirstOrDefault(t => t.Length > 0 && t != "*");
        return int.TryParse(tag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    private static string ETag(int version) => $"\"{version}\"";
}
