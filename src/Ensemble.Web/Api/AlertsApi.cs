using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Households;
using Ensemble.Web.Access;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Api;

/// <summary>
/// Alerts: the ranked list in the households the caller may see, one alert with its explanation and history, a
/// household's alerts, and the moves people make (acknowledge, follow up, snooze, resolve), each honouring If-Match.
/// </summary>
internal static class AlertsApi
{
    public sealed record NoteRequest(string? Note);

    public sealed record SnoozeRequest(string? Until, string? Note);

    public static void Map(RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("/", List).Allow(AccessKind.AnyStaff)
            .WithSummary($"Alerts in the households I may see, most urgent then most advice-sensitive first; filter by ?rule, ?category, ?type, ?household and ?status ({AlertFilter.StatusChoices}); paged.");

        // Alerts are reached through their household: the handlers check it (404 for no such alert, 403 for a household not on the caller's team).
        alerts.MapGet("/{id:long}", Get).Allow(AccessKind.AnyStaff).WithSummary("One alert: the values that made it fire and its history; its ETag is the version to send in If-Match.");
        alerts.MapPost("/{id:long}/acknowledge", Acknowledge).Allow(AccessKind.AnyStaff).WithSummary("Acknowledge a new alert. Honours If-Match.");
        alerts.MapPost("/{id:long}/follow-up", FollowUp).Allow(AccessKind.AnyStaff).WithSummary("Put a new or acknowledged alert in follow-up, with an optional note. Honours If-Match.");
        alerts.MapPost("/{id:long}/snooze", Snooze).Allow(AccessKind.AnyStaff).WithSummary("Hide an open alert until a later day (yyyy-MM-dd); it is back as it was on that day. Honours If-Match.");
        alerts.MapPost("/{id:long}/resolve", Resolve).Allow(AccessKind.AnyStaff).WithSummary("Resolve an open alert by hand; a note saying why is required. Honours If-Match.");
        api.MapGet("/households/{key}/alerts", ForHousehold).Allow(AccessKind.Household).WithTags("Alerts")
            .WithSummary("The household's open alerts, ranked; ?resolved=true adds the latest resolved ones.");
    }

    private static async Task<IResult> List(
        string? rule, string? category, string? type, string? household, string? status, int? limit, int? offset,
        CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var (filter, problem) = await FilterAsync(firm, rule, category, type, household, status, db, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var lines = await new AlertViews(db, clock).ListAsync(firm, filter!, take + 1, skip, visible, cancellationToken);
        return Results.Ok(Paging.Of(lines, skip, take));
    }

    /// <summary>Reads a list's filter from the query, naming each field at fault.</summary>
    internal static async Task<(AlertFilter? Filter, IResult? Problem)> FilterAsync(
        FirmFramework firm, string? rule, string? category, string? type, string? household, string? status, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        var listStatus = AlertFilter.ParseStatus(status);
        if (listStatus is null)
        {
            errors.Add(("status", $"\"{status}\" is not a status; use {AlertFilter.StatusChoices}."));
        }

        rule = string.IsNullOrWhiteSpace(rule) ? null : rule.Trim();
        category = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        type = string.IsNullOrWhiteSpace(type) ? null : type.Trim();
        if (category is not null && !firm.Categories.Contains(category))
        {
            errors.Add(("category", $"\"{category}\" is not a category of the firm's framework; use {string.Join(", ", firm.Categories)}."));
        }

        HouseholdId? householdId = null;
        if (!string.IsNullOrWhiteSpace(household))
        {
            householdId = await new HouseholdDirectory(db, clock).IdOfAsync(household.Trim(), cancellationToken);
            if (householdId is null)
            {
                errors.Add(("household", $"There is no household {household}."));
            }
        }

        return errors.Count > 0
            ? (null, Problems.Invalid([.. errors]))
            : (new AlertFilter(rule, category, listStatus!.Value, householdId, type), null);
    }

    private static async Task<IResult> Get(long id, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (await DeniedAsync(id, callers, db, clock, cancellationToken) is { } denied)
        {
            return denied;
        }

        var view = await new AlertViews(db, clock).FindAsync(await AdvisorySettingsStore.GetAsync(db, cancellationToken), new AlertId(id), cancellationToken);
        if (view is null)
        {
            return NotFound(id);
        }

        http.Response.Headers.ETag = ETag(view.Version);
        return Results.Ok(view);
    }

    private static async Task<IResult> ForHousehold(bool? resolved, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        return Results.Ok(await new AlertViews(db, clock).ForHouseholdAsync(firm, HouseholdRoute.Id(http), resolved == true, cancellationToken: cancellationToken));
    }

    private static Task<IResult> Acknowledge(long id, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        ActAsync(id, http, callers, db, clock, (book, who, version) => book.AcknowledgeAsync(new AlertId(id), who, version, cancellationToken), cancellationToken);

    private static Task<IResult> FollowUp(long id, NoteRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        ActAsync(id, http, callers, db, clock, (book, who, version) => book.FollowUpAsync(new AlertId(id), who, body?.Note, version, cancellationToken), cancellationToken);

    private static Task<IResult> Resolve(long id, NoteRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(body?.Note)
            ? Task.FromResult(Problems.Invalid(("note", "Resolving an alert by hand needs a note saying what was done or why it does not apply.")))
            : ActAsync(id, http, callers, db, clock, (book, who, version) => book.ResolveAsync(new AlertId(id), who, body.Note, version, cancellationToken), cancellationToken);

    private static Task<IResult> Snooze(long id, SnoozeRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var until = string.IsNullOrWhiteSpace(body?.Until) ? null : LocalDatePattern.Iso.Parse(body.Until.Trim());
        if (until is not { Success: true })
        {
            return Task.FromResult(Problems.Invalid(("until", "Give the day the alert comes back, as yyyy-MM-dd.")));
        }

        return ActAsync(id, http, callers, db, clock, (book, who, version) => book.SnoozeAsync(new AlertId(id), until.Value, who, body!.Note, version, cancellationToken), cancellationToken);
    }

    private static async Task<IResult> ActAsync(
        long id, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, Func<AlertBook, string, int?, Task<Result<AlertView>>> act, CancellationToken cancellationToken)
    {
        if (await DeniedAsync(id, callers, db, clock, cancellationToken) is { } denied)
        {
            return denied;
        }

        var current = await new AlertViews(db, clock).VersionOfAsync(new AlertId(id), cancellationToken);
        if (current is null)
        {
            return NotFound(id);
        }

        int? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*")
        {
            if (!ifMatch.Split(',').Select(t => t.Trim()).Contains(ETag(current.Value)))
            {
                return Results.Problem(detail: $"Alert {id} changed since you read it (now {ETag(current.Value)}); read it again and retry.", statusCode: StatusCodes.Status412PreconditionFailed);
            }

            expected = current;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var result = await act(new AlertBook(db, clock), caller.Handle, expected);
        if (!result.IsSuccess)
        {
            return result.Error!.Kind == ErrorKind.Invalid ? Problems.Invalid(FieldOf(result.Error.Message)) : Problems.From(result.Error);
        }

        http.Response.Headers.ETag = ETag(result.Value.Version);
        return Results.Ok(result.Value);
    }

    /// <summary>404 when there is no such alert, 403 when it belongs to a household whose team the caller is not on; null when allowed.</summary>
    private static async Task<IResult?> DeniedAsync(long id, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var household = await new AlertViews(db, clock).HouseholdOfAsync(new AlertId(id), cancellationToken);
        if (household is null)
        {
            return NotFound(id);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return await new HouseholdAccess(db).CanSeeAsync(caller, household.Value, cancellationToken)
            ? null
            : Results.Problem(detail: $"Alert {id} belongs to a household whose team you are not on.", statusCode: StatusCodes.Status403Forbidden);
    }

    private static IResult NotFound(long id) => Results.Problem(detail: $"There is no alert {id}.", statusCode: StatusCodes.Status404NotFound);

    private static string ETag(int version) => $"\"{version}\"";

    // The alert names the field first ("note: …", "until: …").
    private static (string Field, string Message) FieldOf(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !message[..colon].Contains(' ', StringComparison.Ordinal) ? (message[..colon], message[(colon + 2)..]) : ("alert", message);
    }
}
