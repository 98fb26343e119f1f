using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>A household's tier, explained; what an override needs.</summary>
public sealed record TierExplanation(
    string Household,
    ServiceTier Tier,
    ServiceTier Computed,
    int RequiredCriteria,
    IReadOnlyList<CriterionLine> Criteria,
    IReadOnlyList<TierCount> Counts,
    IReadOnlyList<TierCriterion> Missing,
    TierOverrideView? Override,
    IReadOnlyList<string> Explanation);

public sealed record TierOverrideView(ServiceTier Tier, string Reason, LocalDate? Until, string? By);

public sealed record TierOverrideRequest(ServiceTier? Tier, string? Reason, LocalDate? Until);

/// <summary>Tiers: each household's explained decision, manual overrides, recomputes and the history of moves; the service model document.</summary>
internal static class TiersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/households/{key}/tier", Get).Allow(AccessKind.Household).WithTags("Tiers")
            .WithSummary("The household's tier: each criterion, its value and the tiers it supports, the count that decided, missing facts and any override.");
        api.MapPut("/households/{key}/tier/override", Override).Allow(AccessKind.ManagePractice).WithTags("Tiers")
            .WithSummary("Set the household's tier by hand; a reason is required and the override may end on a date. Audited.");
        api.MapDelete("/households/{key}/tier/override", Clear).Allow(AccessKind.ManagePractice).WithTags("Tiers")
            .WithSummary("Remove the manual tier; the computed tier applies again.");
        api.MapPost("/tiers/recompute", Recompute).Allow(AccessKind.ManagePractice).WithTags("Tiers")
            .WithSummary("Re-decide every household's tier and list those that moved. A repeat writes nothing.");
        api.MapGet("/tiers/changes", Changes).Allow(AccessKind.ManagePractice).WithTags("Tiers")
            .WithSummary("Tier moves and overrides in the last ?days (default 30), newest first.");
        api.MapGet("/service-model", GetModel).Allow(AccessKind.AnyStaff).WithTags("Service model")
            .WithSummary("The firm's service model: tier thresholds, touchpoints per tier, meeting limits, contact frequency, topics.");
        api.MapPut("/service-model", SetModel).Allow(AccessKind.ManagePractice).WithTags("Service model")
            .WithSummary("Replace the service model (checked as a whole: bands without gaps or overlaps, a review first in each tier's year). Tiers are recomputed.");
    }

    private static async Task<IResult> Get(string key, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        await new TierBook(db, clock).ExplainAsync(key, cancellationToken) is { } view ? Results.Ok(Explain(view)) : Results.NotFound();

    private static async Task<IResult> Override(string key, TierOverrideRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (body?.Tier is null || !Enum.IsDefined(body.Tier.Value))
        {
            errors.Add(("tier", "Give the tier: A, B, C or Unsegmented."));
        }

        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            errors.Add(("reason", "An override needs a reason: the next advisor must be able to tell why the household is not where its facts put it."));
        }
        else if (body.Reason.Length > 1000)
        {
            errors.Add(("reason", "At most 1000 characters."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var result = await new TierBook(db, clock).OverrideAsync(key, body!.Tier!.Value, body.Reason, body.Until, caller.Handle, cancellationToken);
        if (!result.IsSuccess && result.Error!.Kind == ErrorKind.Invalid && result.Error.Message.StartsWith("until:", StringComparison.Ordinal))
        {
            return Problems.Invalid(("until", result.Error.Message["until:".Length..].Trim()));
        }

        return await ExplainedAsync(result, key, db, clock, cancellationToken);
    }

    private static async Task<IResult> Clear(string key, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var result = await new TierBook(db, clock).ClearOverrideAsync(key, caller.Handle, cancellationToken);
        return await ExplainedAsync(result, key, db, clock, cancellationToken);
    }

    private static async Task<IResult> Recompute(CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new TierBook(db, clock).RecomputeAsync(null, caller.Handle, cancellationToken));
    }

    private static async Task<IResult> Changes(int? days, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 3660)
        {
            return Problems.Invalid(("days", "days must be between 1 and 3660."));
        }

        var since = clock.GetCurrentInstant() - Duration.FromDays(days ?? 30);
        return Results.Ok(await new TierBook(db, clock).ChangesAsync(since, 1000, cancellationToken));
    }

    private static async Task<IResult> GetModel(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Text(ServiceSettingsStore.Serialize(await ServiceSettingsStore.GetAsync(db, cancellationToken)), "application/json");

    private static async Task<IResult> SetModel(HttpRequest request, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var read = ServiceSettingsStore.Read(await reader.ReadToEndAsync(cancellationToken), "body");
        if (!read.IsSuccess)
        {
            return Problems.Invalid(FieldOf(read.Error!.Message));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        db.Actor = caller.Handle;
        db.Operation = "set-service-model";
        var saved = await ServiceSettingsStore.SaveAsync(db, read.Value, cancellationToken);
        if (!saved.IsSuccess)
        {
            return Problems.Invalid(FieldOf(saved.Error!.Message));
        }

        var report = await new TierBook(db, clock).RecomputeAsync(null, caller.Handle, cancellationToken);
        return Results.Ok(new { saved = true, tiers = report });
    }

    private static async Task<IResult> ExplainedAsync(Result<TierDecision> result, string key, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        result.IsSuccess && await new TierBook(db, clock).ExplainAsync(key, cancellationToken) is { } view
            ? Results.Ok(Explain(view))
            : Problems.From(result.Error ?? Error.NotFound($"There is no household {key}."));

    // Messages from the document check start with the place ("body:3:14: …" or "body: tierModel.b.netWorth.below: …").
    private static (string Field, string Message) FieldOf(string message)
    {
        var rest = message.StartsWith("body", StringComparison.Ordinal) ? message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..] : message;
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !rest[..colon].Contains(' ', StringComparison.Ordinal) ? (rest[..colon], rest[(colon + 2)..]) : ("document", message);
    }

    public static TierExplanation Explain(TierView view)
    {
        var manual = view.Stored?.Override;
        return new TierExplanation(
            view.Household.Key,
            view.Decision.Tier,
            view.Decision.Computed,
            view.Decision.RequiredCriteria,
            view.Decision.Lines,
            view.Decision.Counts,
            view.Decision.Missing,
            manual is null ? null : new TierOverrideView(manual.Tier, manual.Reason, manual.Until, view.Stored!.OverrideBy),
            view.Decision.Explain());
    }
}
