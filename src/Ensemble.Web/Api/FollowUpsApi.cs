using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Households;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>
/// A change to the follow-up settings; omitted fields keep their value. <c>playbooks</c> is keyed by quadrant
/// (urgent-advice, urgent-service, planned-advice, self-service): a quadrant left out keeps its playbook, a part of
/// one left out keeps its value, and a quadrant given as null returns to its default.
/// </summary>
public sealed record FollowUpSettingsRequest(int? TasksPerPersonPerDay, int? ResponseDays, int? ReopenDays, IReadOnlyDictionary<string, PlaybookWords?>? Playbooks = null);

/// <summary>The follow-up settings: the noise budget, the report's windows, and each quadrant's playbook in words, as in force and by default.</summary>
public sealed record FollowUpSettingsView(
    int TasksPerPersonPerDay, int ResponseDays, int ReopenDays, IReadOnlyDictionary<string, PlaybookWords> Playbooks, IReadOnlyDictionary<string, PlaybookWords> DefaultPlaybooks)
{
    public static FollowUpSettingsView Of(FollowUpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.TasksPerPersonPerDay, settings.ResponseDays, settings.ReopenDays, PlaybookWords.Describe(settings.Playbooks), PlaybookWords.Describe(Playbook.Defaults));
    }
}

/// <summary>A household's follow-ups and the points standing on its coming meetings' agendas.</summary>
public sealed record HouseholdFollowUps(IReadOnlyList<FollowUpView> FollowUps, IReadOnlyList<AgendaItemView> Agenda);

/// <summary>
/// Follow-up by quadrant: the follow-ups in the households the caller may see, a person's digest, a household's
/// follow-ups and agenda, taking one up from a digest, a run, the settings (the daily noise budget) and the
/// optimisation report (also as CSV).
/// </summary>
internal static class FollowUpsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var followUps = api.MapGroup("/follow-ups").WithTags("Follow-ups");
        followUps.MapGet("/", List).Allow(AccessKind.AnyStaff)
            .WithSummary($"Follow-ups in the households I may see, most urgent first; filter by ?household, ?person (a staff handle; \"me\" for mine), ?status ({FollowUpStatuses.Choices}), ?type, ?channel ({FollowUpWords.ChannelChoices}); paged.");
        followUps.MapGet("/digest", Digest).Allow(AccessKind.AnyStaff)
            .WithSummary("My digest: the follow-ups beyond my daily budget, most urgent first. Those who see the whole firm may name another person with ?person.");
        followUps.MapGet("/{id:long}", Get).Allow(AccessKind.AnyStaff).WithSummary("One follow-up: the alert, the plan and why, and what happened to it.");
        followUps.MapPost("/{id:long}/take-up", TakeUp).Allow(AccessKind.AnyStaff)
            .WithSummary("Take a follow-up up from a digest now: its process starts and the task goes to the role on the household's team. Audited.");
        followUps.MapPost("/run", Run).Allow(AccessKind.ManagePractice)
            .WithSummary("Follow up every new alert that has none yet and close those whose alert, process or meeting is over. A repeat does nothing new.");
        followUps.MapGet("/settings", GetSettings).Allow(AccessKind.AnyStaff)
            .WithSummary("The follow-up settings: tasks per person per day (the noise budget), the report's windows, and each quadrant's playbook (channels in order, action, caller role) with the defaults.");
        followUps.MapPut("/settings", SetSettings).Allow(AccessKind.ManagePractice)
            .WithSummary($"Change the follow-up settings; omitted fields keep their value. Playbooks are keyed by quadrant ({FollowUpWords.QuadrantChoices}); channels {FollowUpWords.PlaybookChannelChoices}; action {FollowUpWords.ActionChoices}; callerRole a role of the firm; a quadrant given as null returns to its default. Bad values are refused naming the field. Audited.");
        api.MapGet("/households/{key}/follow-ups", ForHousehold).Allow(AccessKind.Household).WithTags("Follow-ups")
            .WithSummary("The household's follow-ups (open ones first, then the latest closed) and the points on its coming meetings' agendas.");
        api.MapGet("/reports/follow-ups", Report).Allow(AccessKind.ManagePractice).WithTags("Reports")
            .WithSummary("Per alert type and channel over the last ?days (default 365): response rate, median days to resolution, re-open rate; and which types to move on the canvas.");
        api.MapGet("/reports/follow-ups.csv", ReportCsv).Allow(AccessKind.ManagePractice).WithTags("Reports").WithSummary("The follow-up report as CSV.");
    }

    private static async Task<IResult> List(
        string? household, string? person, string? status, string? type, string? channel, int? limit, int? offset,
        CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, offset, out var take, out var skip) is { } invalid)
        {
            return invalid;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var errors = new List<(string, string)>();
        var parsed = FollowUpFilter.ParseStatus(status);
        if (parsed is null)
        {
            errors.Add(("status", $"\"{status}\" is not a status; use {FollowUpStatuses.Choices}."));
        }

        FollowUpChannel? channelFilter = null;
        if (!string.IsNullOrWhiteSpace(channel))
        {
            channelFilter = FollowUpWords.ParseChannel(channel);
            if (channelFilter is null)
            {
                errors.Add(("channel", $"\"{channel}\" is not a channel; use {FollowUpWords.ChannelChoices}."));
            }
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

        StaffId? personId = null;
        if (!string.IsNullOrWhiteSpace(person))
        {
            personId = person.Trim().Equals("me", StringComparison.OrdinalIgnoreCase) ? caller.StaffId : await StaffOfAsync(db, person, cancellationToken);
            if (personId is null)
            {
                errors.Add(("person", $"There is no staff member \"{person}\"."));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var filter = new FollowUpFilter(householdId, personId, parsed!.Value.Status, parsed.Value.All, string.IsNullOrWhiteSpace(type) ? null : type.Trim(), channelFilter);
        var lines = await new FollowUpViews(db).ListAsync(framework, filter, take + 1, skip, visible, cancellationToken);
        return Results.Ok(Paging.Of(lines, skip, take));
    }

    private static async Task<IResult> Digest(string? person, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var whose = caller.StaffId;
        if (!string.IsNullOrWhiteSpace(person) && !person.Trim().Equals(caller.Handle, StringComparison.OrdinalIgnoreCase))
        {
            if (!caller.SeesWholeFirm)
            {
                return Results.Problem(detail: "A digest is its owner's; only those who see the whole firm may read another person's.", statusCode: StatusCodes.Status403Forbidden);
            }

            if (await StaffOfAsync(db, person, cancellationToken) is not { } other)
            {
                return Problems.Invalid(("person", $"There is no staff member \"{person}\"."));
            }

            whose = other;
        }

        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        return Results.Ok(await new FollowUpViews(db).DigestAsync(framework, whose, cancellationToken));
    }

    private static async Task<IResult> Get(long id, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        if (await DeniedAsync(id, callers, db, cancellationToken) is { } denied)
        {
            return denied;
        }

        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        return await new FollowUpViews(db).FindAsync(framework, id, cancellationToken) is { } view ? Results.Ok(view) : NotFound(id);
    }

    private static async Task<IResult> TakeUp(long id, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (await DeniedAsync(id, callers, db, cancellationToken) is { } denied)
        {
            return denied;
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return Problems.Of(await new FollowUpBook(db, clock).TakeUpAsync(id, caller.Handle, cancellationToken), Results.Ok);
    }

    private static async Task<IResult> Run(CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        return Results.Ok(await new FollowUpRunner(db, clock).RunAsync(caller.Handle, cancellationToken));
    }

    private static async Task<IResult> GetSettings(EnsembleDb db, CancellationToken cancellationToken) =>
        Results.Ok(FollowUpSettingsView.Of(await FollowUpSettingsStore.GetAsync(db, cancellationToken)));

    private static async Task<IResult> SetSettings(FollowUpSettingsRequest? body, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var current = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
        var numbers = current with
        {
            TasksPerPersonPerDay = body?.TasksPerPersonPerDay ?? current.TasksPerPersonPerDay,
            ResponseDays = body?.ResponseDays ?? current.ResponseDays,
            ReopenDays = body?.ReopenDays ?? current.ReopenDays,
        };
        var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, numbers, body?.Playbooks, cancellationToken);
        if (problems.Count > 0)
        {
            return Problems.Invalid([.. problems]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return Problems.Of(await FollowUpSettingsStore.SaveAsync(db, wanted, caller.Handle, cancellationToken), s => Results.Ok(FollowUpSettingsView.Of(s)));
    }

    private static async Task<IResult> ForHousehold(HttpContext http, EnsembleDb db, CancellationToken cancellationToken)
    {
        var household = HouseholdRoute.Id(http);
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var views = new FollowUpViews(db);
        return Results.Ok(new HouseholdFollowUps(
            await views.ForHouseholdAsync(framework, household, cancellationToken: cancellationToken),
            await views.HouseholdAgendaAsync(household, cancellationToken)));
    }

    private static async Task<IResult> Report(int? days, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (CheckDays(days) is { } invalid)
        {
            return invalid;
        }

        return Results.Ok(await new FollowUpReport(db, clock).BuildAsync(days ?? FollowUpReport.DefaultDays, cancellationToken));
    }

    private static async Task<IResult> ReportCsv(int? days, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        if (CheckDays(days) is { } invalid)
        {
            return invalid;
        }

        var report = await new FollowUpReport(db, clock).BuildAsync(days ?? FollowUpReport.DefaultDays, cancellationToken);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        FollowUpReportCsv.Write(writer, report);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", "follow-ups.csv");
    }

    private static IResult? CheckDays(int? days) => days is < 1 or > 3660 ? Problems.Invalid(("days", "days must be between 1 and 3660.")) : null;

    /// <summary>404 when there is no such follow-up, 403 when it belongs to a household whose team the caller is not on; null when allowed.</summary>
    private static async Task<IResult?> DeniedAsync(long id, CurrentCaller callers, EnsembleDb db, CancellationToken cancellationToken)
    {
        var household = await new FollowUpViews(db).HouseholdOfAsync(id, cancellationToken);
        if (household is null)
        {
            return NotFound(id);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        return await new HouseholdAccess(db).CanSeeAsync(caller, household.Value, cancellationToken)
            ? null
            : Results.Problem(detail: $"Follow-up {id} belongs to a household whose team you are not on.", statusCode: StatusCodes.Status403Forbidden);
    }

    private static IResult NotFound(long id) => Results.Problem(detail: $"There is no follow-up {id}.", statusCode: StatusCodes.Status404NotFound);

    private static Task<StaffId?> StaffOfAsync(EnsembleDb db, string handle, CancellationToken cancellationToken)
    {
        var name = handle.Trim().ToLowerInvariant();
        return db.Staff.AsNoTracking().Where(s => s.Handle == name).Select(s => (StaffId?)s.Id).SingleOrDefaultAsync(cancellationToken);
    }
}
