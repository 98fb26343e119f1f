using Ensemble.Households;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Households;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Api;

/// <summary>Households: the list, the profile, the team, processes and the timeline.</summary>
internal static class HouseholdsApi
{
    public sealed record NewHousehold(string? Key, string? Name, LifecycleStage? Stage);

    public sealed record TeamRoleRequest(string? Holder, IReadOnlyList<string>? Backups);

    public sealed record StartRequest(string? Template, Dictionary<string, string>? Anchors);

    public sealed record StageRequest(LifecycleStage? Stage);

    public sealed record AdvisorRequest(string? Kind, string? Name, string? Firm, string? Email, string? Phone);

    public sealed record Started(long Process, string Name, IReadOnlyList<TaskView> Tasks);

    public static void Map(RouteGroupBuilder api)
    {
        var households = api.MapGroup("/households").WithTags("Households");
        households.MapGet("/", List).Allow(AccessKind.AnyStaff).WithSummary("The households I may see, by name.");
        households.MapPost("/", Add).Allow(AccessKind.ManagePractice).WithSummary("Add a household.");
        households.MapGet("/{key}", Get).Allow(AccessKind.Household).WithSummary("A household's profile: facts, team, accounts, policies, processes, open work.");
        households.MapGet("/{key}/tasks", Tasks).Allow(AccessKind.Household).WithSummary("A household's tasks.");
        households.MapGet("/{key}/timeline", TimelineOf).Allow(AccessKind.Household).WithSummary("Everything that happened to the household, newest first.");
        households.MapPut("/{key}/team/{role}", SetTeamRole).Allow(AccessKind.ManagePractice).WithSummary("Set who holds a role on the household's team, with backups; open work moves.");
        households.MapPost("/{key}/stage", SetStage).Allow(AccessKind.Household).WithSummary("Move the household along its lifecycle (prospect, client, former client).");
        households.MapPost("/{key}/trusted-advisors", AddAdvisor).Allow(AccessKind.Household).WithSummary("Record a trusted advisor: CPA, attorney, insurance agent…");
        households.MapPost("/{key}/processes", Start).Allow(AccessKind.Household).WithSummary("Start a process from a template for the household.");
    }

    private static async Task<IResult> List(CurrentCaller callers, EnsembleDb db, IClock clock, string? search, LifecycleStage? stage, int? limit, int? offset, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var lines = await new HouseholdDirectory(db, clock).ListAsync(search, stage, take + 1, skip, visible, cancellationToken);
        return Results.Ok(Paging.Of(lines, skip, take));
    }

    private static async Task<IResult> Add(NewHousehold? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(body?.Key) || body.Key.Length > 100)
        {
            errors.Add(("key", "A household needs a key of 1 to 100 characters (its id in your CRM, e.g. HH-1001)."));
        }

        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > 200)
        {
            errors.Add(("name", "A household needs a name of 1 to 200 characters."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var added = await new HouseholdDirectory(db, clock).AddAsync(body!.Key!.Trim(), body.Name!.Trim(), body.Stage ?? LifecycleStage.Prospect, caller.Handle, cancellationToken);
        return Problems.Of(added, h => Results.Created($"/api/households/{Uri.EscapeDataString(h.Key)}", new { h.Key, h.Name, h.Stage }));
    }

    private static async Task<IResult> Get(string key, EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        await HouseholdProfile.ReadAsync(db, clock, key, cancellationToken) is { } profile ? Results.Ok(profile) : Results.NotFound();

    private static async Task<IResult> Tasks(bool? includeClosed, HttpContext http, EnsembleDb db, CancellationToken cancellationToken)
    {
        var id = HouseholdRoute.Id(http);
        return Results.Ok(await new TaskViews(db).ForHouseholdAsync(id, includeClosed ?? false, cancellationToken: cancellationToken));
    }

    private static async Task<IResult> TimelineOf(int? limit, HttpContext http, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, 0, out var take, out _) is { } invalid)
        {
            return invalid;
        }

        var id = HouseholdRoute.Id(http);
        return Results.Ok(await Timeline.ReadAsync(db, id, take, cancellationToken));
    }

    private static async Task<IResult> SetTeamRole(string key, string role, TeamRoleRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Holder))
        {
            return Problems.Invalid(("holder", "Name the staff handle who holds the role."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var changed = await new Teams(db, clock).SetAsync(key, role, body.Holder, body.Backups, caller.Handle, cancellationToken);
        return Problems.Of(changed, Results.Ok);
    }

    private static async Task<IResult> SetStage(string key, StageRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (body?.Stage is not { } stage)
        {
            return Problems.Invalid(("stage", "One of Prospect, Client, FormerClient."));
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var moved = await new HouseholdDirectory(db, clock).SetStageAsync(key, stage, caller.Handle, cancellationToken);
        return Problems.Of(moved, h => Results.Ok(new { h.Key, h.Stage }));
    }

    private static async Task<IResult> AddAdvisor(string key, AdvisorRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(body?.Kind) || body.Kind.Length > 60)
        {
            errors.Add(("kind", "What kind of advisor: cpa, attorney, insurance-agent…"));
        }

        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > 200)
        {
            errors.Add(("name", "The advisor's name (1 to 200 characters)."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var advisor = new TrustedAdvisor(body!.Kind!, body.Name!.Trim(), body.Firm?.Trim(), body.Email?.Trim(), body.Phone?.Trim());
        var added = await new HouseholdDirectory(db, clock).AddTrustedAdvisorAsync(key, advisor, caller.Handle, cancellationToken);
        return Problems.Of(added, h => Results.Ok(h.TrustedAdvisors));
    }

    private static async Task<IResult> Start(StartRequest? body, HttpContext http, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Template))
        {
            return Problems.Invalid(("template", "Name the template to start, e.g. review-meeting."));
        }

        var anchors = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        foreach (var (name, text) in body.Anchors ?? [])
        {
            var parsed = LocalDatePattern.Iso.Parse(text ?? "");
            if (!parsed.Success)
            {
                return Problems.Invalid(($"anchors.{name}", $"\"{text}\" is not a date such as 2027-01-15."));
            }

            anchors[name] = parsed.Value;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var id = HouseholdRoute.Id(http);
        var started = await new WorkService(db, clock).StartAsync(body.Template.Trim(), id, anchors, caller.Handle, cancellationToken: cancellationToken);
        if (!started.IsSuccess)
        {
            return Problems.From(started.Error!);
        }

        var instance = started.Value.Instance;
        var tasks = await new TaskViews(db).ForInstanceAsync(instance.Id, cancellationToken);
        return Results.Created($"/api/processes/{instance.Id.Value}", new Started(instance.Id.Value, instance.TemplateName, tasks));
    }
}
