using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage;
using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Import;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>Data sources: the registry, consolidation settings, values pushed by integrations, a household's facts with lineage, and discrepancies.</summary>
internal static class SourcesApi
{
    public sealed record SourceRequest(string? Name);

    public sealed record SourceView(string Key, string Name, Instant AddedAt);

    public sealed record ResolveRequest(string? Source, string? Value);

    public sealed record ImportView(long? Import, int Entries, int Values, ConsolidationCounts Counts);

    public static void Map(RouteGroupBuilder api)
    {
        var sources = api.MapGroup("/sources").WithTags("Sources");
        sources.MapGet("/", List).Allow(AccessKind.AnyStaff).WithSummary("Registered data sources, with the values each holds and its last import.");
        sources.MapGet("/settings", GetSettings).Allow(AccessKind.AnyStaff)
            .WithSummary("Consolidation settings in force: per fact, the source precedence (or most recently verified wins) and the maximum age in months.");
        sources.MapPut("/settings", SetSettings).Allow(AccessKind.ManagePractice)
            .WithSummary("Replace the consolidation settings (facts left out keep their defaults); every problem is named with line, column and path. Every consolidated value is decided again. Audited.");
        sources.MapGet("/freshness", FreshnessOf).Allow(AccessKind.ManagePractice)
            .WithSummary("The firm's freshness: the share of known facts still within their maximum age, overall and per fact, and the households with stale facts.");
        sources.MapPost("/refresh-work", RefreshWork).Allow(AccessKind.ManagePractice)
            .WithSummary("Start a fact-refresh process for the paraplanner of every client household with stale facts (at most one open per household). Safe to repeat.");
        sources.MapPut("/{source}", Set).Allow(AccessKind.ManagePractice).WithSummary("Register a data source, or rename one. Audited.");
        sources.MapPost("/{source}/values", Push).Allow(AccessKind.ManagePractice)
            .WithSummary("Values from a source's integration: [{\"household\": \"HH-1001\", \"verified_at\": \"2026-11-01\", \"facts\": {\"income\": 250000}}]. "
                + "All or nothing; every problem named with line and column. Use an API token of a firm-wide role; send an Idempotency-Key so a retry is harmless.");
        api.MapGet("/discrepancies", Discrepancies).Allow(AccessKind.ManagePractice).WithTags("Sources")
            .WithSummary("Open discrepancies across the firm, newest first (?all=true for resolved ones too).");
        api.MapGet("/households/{key}/facts", Facts).Allow(AccessKind.Household).WithTags("Sources")
            .WithSummary("The household's consolidated facts with lineage (source, arrived, verified, fresh or stale), every source's value, derived facts and open discrepancies.");
        api.MapGet("/households/{key}/discrepancies", HouseholdDiscrepancies).Allow(AccessKind.Household).WithTags("Sources")
            .WithSummary("The household's discrepancies between sources (?all=true for resolved ones too).");
        api.MapPost("/households/{key}/discrepancies/{id:long}/resolve", Resolve).Allow(AccessKind.Household).WithTags("Sources")
            .WithSummary("Resolve a discrepancy: {\"source\": \"crm\"} or {\"value\": \"250000\"}. The choice holds until a source sends a new value. Audited.");
    }

    private static async Task<IResult> List(EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Results.Ok(await new SourceRegistry(db, clock).ListAsync(cancellationToken));

    private static async Task<IResult> Set(string source, SourceRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Name))
        {
            return Problems.Invalid(("name", "Give the source's name, e.g. \"Redtail CRM\"."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var set = await new SourceRegistry(db, clock).SetAsync(source, body.Name, caller.Handle, cancellationToken);
        if (!set.IsSuccess)
        {
            return Field(set.Error!);
        }

        var view = new SourceView(set.Value.Source.Key, set.Value.Source.Name, set.Value.Source.AddedAt);
        return set.Value.Created ? Results.Created($"/api/sources/{view.Key}", view) : Results.Ok(view);
    }

    private static async Task<IResult> FreshnessOf(EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Results.Ok(await new Enrichment(db, clock).FreshnessAsync(cancellationToken));

    private static async Task<IResult> RefreshWork(CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new Enrichment(db, clock).RaiseWorkAsync(caller.Handle, cancellationToken));
    }

    private static async Task<IResult> GetSettings(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Text(ConsolidationSettingsStore.Serialize(await ConsolidationSettingsStore.GetAsync(db, cancellationToken)), "application/json");

    private static async Task<IResult> SetSettings(HttpRequest request, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var content = await ReadBodyAsync(request, cancellationToken);
        var registry = new SourceRegistry(db, clock);
        var (settings, problems) = await registry.ReadSettingsAsync(content, "body", cancellationToken);
        if (settings is null)
        {
            return Problems.Invalid(problems.Select(p => (p.Path.Length == 0 ? "document" : p.Path, p.ToString())).ToArray());
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(new { saved = true, consolidated = await registry.SaveSettingsAsync(settings, caller.Handle, cancellationToken) });
    }

    private static async Task<IResult> Push(string source, HttpRequest request, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var content = await ReadBodyAsync(request, cancellationToken);
        var result = await new SourceIntake(db, clock).PushAsync(source, content, caller.Handle, cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!);
        }

        var report = result.Value;
        return report.Succeeded
            ? Results.Ok(new ImportView(report.ImportId, report.Entries, report.Values, report.Counts))
            : Errors(report.Errors);
    }

    private static async Task<IResult> Facts(string key, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Problems.Of(await new HouseholdFactsReader(db, clock).ReadAsync(key, cancellationToken), Results.Ok);

    private static async Task<IResult> Discrepancies(bool? all, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Problems.Of(await new DiscrepancyDesk(db, clock).ListAsync(null, all ?? false, 1000, cancellationToken), Results.Ok);

    private static async Task<IResult> HouseholdDiscrepancies(string key, bool? all, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Problems.Of(await new DiscrepancyDesk(db, clock).ListAsync(key, all ?? false, 1000, cancellationToken), Results.Ok);

    private static async Task<IResult> Resolve(string key, long id, ResolveRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var resolved = await new DiscrepancyDesk(db, clock).ResolveAsync(id, body?.Source, body?.Value, caller.Handle, key, cancellationToken);
        return resolved.IsSuccess ? Results.Ok(resolved.Value) : Field(resolved.Error!);
    }

    // Problems in a pushed body, each under its field with its place: "body:3:14: income: …".
    private static IResult Errors(IReadOnlyList<ImportError> errors) =>
        Problems.Invalid(errors.Select(e => (e.Field.Length == 0 ? "body" : e.Field, e.ToString())).ToArray());

    // Messages that start with the field ("value: …") are reported under it.
    private static IResult Field(Error error)
    {
        var colon = error.Message.IndexOf(": ", StringComparison.Ordinal);
        return error.Kind == ErrorKind.Invalid && colon > 0 && !error.Message[..colon].Contains(' ', StringComparison.Ordinal)
            ? Problems.Invalid((error.Message[..colon], error.Message[(colon + 2)..]))
            : Problems.From(error);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
