using Ensemble.Advisory;
using Ensemble.Advisory.Alerts;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Advisory;
using Ensemble.Web.Access;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>A rule of the firm's framework as the API lists it.</summary>
public sealed record RuleLine(string Key, string Title, string Category, string? Advice, IReadOnlyList<string> Facts, IReadOnlyList<AlertType> Types);

/// <summary>The canvas: every alert type at its place, with how many alerts of it are open.</summary>
public sealed record CanvasLine(AlertType Type, int Open);

public sealed record CanvasMove(string? Type, double? Urgency, double? Sensitivity, bool? Reset);

/// <summary>
/// The advisory framework: the firm's rules as text (read, replace — refused with every problem at line and column),
/// the rules and the canvas of alert types, runs of the framework over the book and the could-not-evaluate list.
/// </summary>
internal static class AdvisoryApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var advisory = api.MapGroup("/advisory").WithTags("Advisory framework");
        advisory.MapGet("/framework", GetFramework).Allow(AccessKind.AnyStaff).WithSummary("The firm's framework as text (the rule language), to read or edit.");
        advisory.MapPut("/framework", SetFramework).Allow(AccessKind.ManagePractice)
            .WithSummary("Replace the framework with the text in the body. A text that does not parse or type-check is refused with every problem as body:line:column and nothing changes. Takes effect at the next run.");
        advisory.MapGet("/rules", Rules).Allow(AccessKind.AnyStaff).WithSummary("The rules in force: category, advice, facts read and the alert type of each variant.");
        advisory.MapGet("/canvas", Canvas).Allow(AccessKind.AnyStaff).WithSummary("Every alert type at its place (urgency, sensitivity), ranked, with its open alerts.");
        advisory.MapPut("/canvas", MoveType).Allow(AccessKind.ManagePractice).WithSummary("Move an alert type on the canvas ({type, urgency, sensitivity}, 0–100), or {type, reset: true} to put it back where its variant says. Audited.");
        advisory.MapPost("/run", Run).Allow(AccessKind.ManagePractice).WithSummary("Run the framework over every household now and write what changed.");
        advisory.MapGet("/runs", Runs).Allow(AccessKind.ManagePractice).WithSummary("The latest runs, newest first, with their counts.");
        advisory.MapGet("/could-not-evaluate", Unevaluated).Allow(AccessKind.AnyStaff)
            .WithSummary("Rules the last run could not evaluate (a value missing, a division by zero, an overflow), in the households I may see; paged.");
    }

    private static async Task<IResult> GetFramework(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Text((await AdvisorySettingsStore.GetAsync(db, cancellationToken)).Source, "text/plain; charset=utf-8");

    private static async Task<IResult> SetFramework(HttpRequest request, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var check = AdvisorySettingsStore.Check(text, "body");
        if (!check.Succeeded)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["framework"] = check.Diagnostics.Select(d => d.ToString()).ToArray() },
                detail: $"The framework was not saved: {check.Diagnostics.Count} problem{(check.Diagnostics.Count == 1 ? "" : "s")}.");
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var saved = await AdvisorySettingsStore.SetFrameworkAsync(db, text, "body", caller.Handle, cancellationToken);
        return Problems.Of(saved, firm => Results.Ok(new { saved = true, version = firm.Version, rules = firm.Framework.Rules.Count, types = firm.Types.Count, builtIn = firm.BuiltIn }));
    }

    private static async Task<IResult> Rules(EnsembleDb db, CancellationToken cancellationToken)
    {
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        return Results.Ok(firm.Framework.Rules.Select(r => Line(firm, r)).ToList());
    }

    private static async Task<IResult> Canvas(EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var open = await new AlertViews(db, clock).OpenCountsByTypeAsync(cancellationToken);
        return Results.Ok(firm.Types.Select(t => new CanvasLine(t, open.GetValueOrDefault(t.Key))).ToList());
    }

    private static async Task<IResult> MoveType(CanvasMove? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(body?.Type))
        {
            errors.Add(("type", "Name the alert type to move, e.g. mortgage.rate-ending/within-14-days."));
        }

        var reset = body?.Reset == true;
        if (!reset && (body?.Urgency is null || body.Sensitivity is null))
        {
            errors.Add(("urgency", "Give urgency and sensitivity (0–100), or reset: true."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var moved = await AdvisorySettingsStore.MoveTypeAsync(
            db, body!.Type!.Trim(), reset ? null : new CanvasPosition(body.Urgency!.Value, body.Sensitivity!.Value), caller.Handle, cancellationToken);
        if (!moved.IsSuccess && moved.Error!.Kind is Common.ErrorKind.Invalid or Common.ErrorKind.NotFound)
        {
            var message = moved.Error.Message;
            var colon = message.IndexOf(": ", StringComparison.Ordinal);
            return Problems.Invalid(colon > 0 ? (message[..colon], message[(colon + 2)..]) : ("type", message));
        }

        return Problems.Of(moved, Results.Ok);
    }

    private static async Task<IResult> Run(CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await Ensemble.Storage.Advisory.FollowUps.AdvisoryRunFollowUps.RunWithFollowUpsAsync(new AdvisoryRun(db, clock), db, clock, caller.Handle, cancellationToken));
    }

    private static async Task<IResult> Runs(int? limit, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, 0, out var take, out _) is { } invalid)
        {
            return invalid;
        }

        return Results.Ok(await new AlertViews(db, clock).RunsAsync(take, cancellationToken));
    }

    private static async Task<IResult> Unevaluated(int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var lines = await new AlertViews(db, clock).UnevaluatedAsync(firm, take + 1, skip, visible, cancellationToken);
        return Results.Ok(Paging.Of(lines, skip, take));
    }

    private static RuleLine Line(FirmFramework firm, AdvisoryRule rule) =>
        new(rule.Key, rule.Title, rule.Category, rule.Advice, rule.FactsRead,
            rule.Variants.Select((_, v) => firm.Type(rule.TypeKey(v))!).ToList());
}
