using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel.Contacts;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.ServiceModel;
using Ensemble.Web.Access;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Api;

/// <summary>Periodic contact: a household's life events, the coming occasions, and planning the contacts.</summary>
internal static class ContactsApi
{
    public sealed record LifeEventRequest(string? Kind, string? On, string? Member, string? Note);

    public sealed record PlanRequest(int? Days);

    /// <summary>One occasion and what planning decides (or decided) for it.</summary>
    public sealed record OccasionLine(
        string Household, string HouseholdName, string Tier, string Kind, string Occasion, LocalDate On, LocalDate ContactOn,
        int? Milestone, string Channel, string Owner, string Decision, string Reason);

    public sealed record PlanResult(LocalDate From, LocalDate To, string Summary, IReadOnlyList<OccasionLine> Started, IReadOnlyList<OccasionLine> AlreadyStarted, IReadOnlyList<OccasionLine> Skipped, IReadOnlyList<string> Errors);

    public static void Map(RouteGroupBuilder api)
    {
        var households = api.MapGroup("/households").WithTags("Contacts");
        households.MapGet("/{key}/life-events", LifeEvents).Allow(AccessKind.Household).WithSummary("The household's recorded life events, newest first, with the contact started for each.");
        households.MapPost("/{key}/life-events", Record).Allow(AccessKind.Household).WithSummary("Record a life event (new job, promotion, retirement, new child or grandchild, marriage, loss); its contact starts at once.");

        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        contacts.MapGet("/occasions", Occasions).Allow(AccessKind.AnyStaff).WithSummary("The coming days' occasions of the households I may see, and what planning does with each.");
        contacts.MapPost("/plan", Plan).Allow(AccessKind.ManagePractice).WithSummary("Start the contacts the coming days' occasions call for, within each tier's yearly frequency (safe to repeat).");
    }

    private static async Task<IResult> LifeEvents(int? limit, int? offset, HttpContext http, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var events = await new ContactPlanner(db, clock).LifeEventsAsync(HouseholdRoute.Id(http), cancellationToken);
        return Results.Ok(Paging.Of(events.Skip(skip).Take(take + 1).ToList(), skip, take));
    }

    private static async Task<IResult> Record(LifeEventRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (!LifeEventKinds.TryParse(body?.Kind, out var kind))
        {
            errors.Add(("kind", $"What happened: one of {string.Join(", ", LifeEventKinds.All)}."));
        }

        var on = LocalDatePattern.Iso.Parse(body?.On ?? "");
        if (!on.Success)
        {
            errors.Add(("on", "When it happened (or will), as a date such as 2026-11-02."));
        }

        if (body?.Member is { Length: > 100 })
        {
            errors.Add(("member", "A member's id is at most 100 characters."));
        }

        if (body?.Note is { Length: > 2000 })
        {
            errors.Add(("note", "A note is at most 2000 characters."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var recorded = await new ContactPlanner(db, clock).RecordLifeEventAsync(HouseholdRoute.Id(http), kind, on.Value, body!.Member, body.Note, caller.Handle, cancellationToken);
        if (!recorded.IsSuccess && recorded.Error!.Kind == ErrorKind.Invalid && recorded.Error.Message.Split(": ", 2) is [var field, var message] && field is "member" or "note")
        {
            // The planner names the field first ("member: P9 is not a member…"): report it against that field.
            return Problems.Invalid((field, message));
        }

        return Problems.Of(recorded, r => Results.Created($"/api/households/{Uri.EscapeDataString(http.GetRouteValue("key") as string ?? "")}/life-events", r));
    }

    private static async Task<IResult> Occasions(int? days, int? limit, int? offset, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        var window = days ?? 30;
        if (window is < 1 or > ContactPlanner.MaxDays)
        {
            errors.Add(("days", $"days must be between 1 and {ContactPlanner.MaxDays}."));
        }

        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var lines = await new ContactPlanner(db, clock).OccasionsAsync(window, visible, cancellationToken);
        return Results.Ok(Paging.Of(lines.Skip(skip).Take(take + 1).Select(Line).ToList(), skip, take));
    }

    private static async Task<IResult> Plan(PlanRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var days = body?.Days ?? ContactPlanner.DefaultDays;
        if (days is < 1 or > ContactPlanner.MaxDays)
        {
            return Problems.Invalid(("days", $"days must be between 1 and {ContactPlanner.MaxDays}."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var report = await new ContactPlanner(db, clock).PlanAsync(days, caller.Handle, cancellationToken: cancellationToken);
        return Results.Ok(new PlanResult(
            report.Window.Start, report.Window.End, report.Summary,
            report.Started.Select(Line).ToList(), report.AlreadyStarted.Select(Line).ToList(), report.Skipped.Select(Line).ToList(), report.Errors));
    }

    private static OccasionLine Line(ContactLine l) => new(
        l.Household.Key, l.Household.Name, l.Household.Tier.ToString(), l.Occasion.KindText, l.Occasion.Title, l.Occasion.On, l.ContactOn,
        l.Occasion.Milestone, ContactChannels.Text(l.Channel), l.OwnerRole, Decision(l.Decision), l.Reason);

    private static string Decision(ContactDecision decision) => decision switch
    {
        ContactDecision.Planned => "planned",
        ContactDecision.AlreadyStarted => "already-started",
        _ => "skipped",
    };
}
