using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage.ServiceModel;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>A follow-up as lists and the API show it: the alert, the plan and why, how it was carried out, where it stands.</summary>
public sealed record FollowUpView(
    long Id,
    long AlertId,
    string HouseholdKey,
    string HouseholdName,
    string Type,
    string Title,
    string VariantLabel,
    Quadrant Quadrant,
    FollowUpChannel Channel,
    FollowUpAction Action,
    string? OwnerRole,
    string? Assignee,
    string? AssigneeName,
    FollowUpStatus Status,
    string Reason,
    double Rank,
    Instant DecidedAt,
    LocalDate DecidedOn,
    long? ProcessId,
    string? ProcessName,
    InstanceStatus? ProcessStatus,
    long? TouchpointId,
    string? Meeting,
    LocalDateTime? MeetingAt,
    LocalDate? DigestOn,
    LocalDate? TaskOn,
    string? TakenUpBy,
    Instant? ClosedAt,
    string? ClosingNote,
    AlertStatus AlertStatus,
    int Version,
    string? MessageKey = null)
{
    public bool IsOpen => FollowUpStatuses.IsOpen(Status);

    public string StatusName => FollowUpStatuses.Name(Status);

    public string ChannelName => FollowUpWords.Name(Channel);

    /// <summary>What happens next, in a sentence: client messages say plainly that delivery is still to come.</summary>
    public string Outcome => Status switch
    {
        FollowUpStatus.Planned => "Waiting for the next run to start its task.",
        FollowUpStatus.TaskStarted => $"Process #{ProcessId} ({ProcessName}) started; its first task went to {AssigneeName ?? $"the {OwnerRole} role's queue"}.",
        FollowUpStatus.InDigest => $"In {AssigneeName ?? "the owner"}'s digest of {DigestOn:uuuu-MM-dd}: over the day's follow-up budget.",
        FollowUpStatus.OnAgenda => $"On the agenda of the {Meeting}.",
        FollowUpStatus.QueuedForClient when MessageKey is null => "Waiting for the household's next mailing, which carries the message compliance approved for this alert.",
        FollowUpStatus.QueuedForClient => $"{ChannelName} in the outbox for the client (the message compliance approved for this alert); done once it is sent.",
        _ => ClosingNote ?? StatusName,
    };
}

/// <summary>A point on a meeting's agenda.</summary>
public sealed record AgendaItemView(long Id, long TouchpointId, string? Meeting, LocalDateTime? MeetingAt, long? AlertId, string Text, Instant AddedAt, string AddedBy, bool Stands, Instant? WithdrawnAt, string? WithdrawnBecause);

/// <summary>Which follow-ups a list shows: household, person (assignee), status (null: open ones; see <see cref="All"/>), alert type and channel, each optional.</summary>
public sealed record FollowUpFilter(HouseholdId? Household = null, StaffId? Person = null, FollowUpStatus? Status = null, bool All = false, string? Type = null, FollowUpChannel? Channel = null)
{
    /// <summary>The filter for a status word: null or "open" for open ones, "all", or a status; null when the word is none of them.</summary>
    public static (FollowUpStatus? Status, bool All)? ParseStatus(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Trim().Equals("open", StringComparison.OrdinalIgnoreCase) ? (null, false)
        : text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase) ? (null, true)
        : FollowUpStatuses.Parse(text) is { } status ? (status, false)
        : null;
}

/// <summary>
/// Reading follow-ups: lists (open ones by the canvas rank, most urgent first), a person's digest, a household's
/// follow-ups and agenda, a meeting's agenda.
/// </summary>
public sealed class FollowUpViews(EnsembleDb db)
{
    public async Task<List<FollowUpView>> ListAsync(
        FirmFramework framework, FollowUpFilter filter, int take, int skip = 0, IReadOnlyCollection<long>? visibleHouseholds = null, CancellationToken cancellationToken = default)
    {
        var query = Filtered(filter, visibleHouseholds);
        var rows = await query.OrderByDescending(f => f.Rank).ThenByDescending(f => f.DecidedAt).ThenByDescending(f => f.Id)
            .Skip(skip).Take(take).ToListAsync(cancellationToken);
        return await ViewsAsync(framework, rows, cancellationToken);
    }

    public Task<int> CountAsync(FollowUpFilter filter, IReadOnlyCollection<long>? visibleHouseholds = null, CancellationToken cancellationToken = default) =>
        Filtered(filter, visibleHouseholds).CountAsync(cancellationToken);

    /// <summary>What waits in a person's digest, ranked by where the types sit on the canvas today.</summary>
    public async Task<List<FollowUpView>> DigestAsync(FirmFramework framework, StaffId person, CancellationToken cancellationToken = default)
    {
        var rows = await db.FollowUps().AsNoTracking().Where(f => f.Status == FollowUpStatus.InDigest && f.AssigneeId == person).ToListAsync(cancellationToken);
        var views = await ViewsAsync(framework, rows, cancellationToken);
        return views.OrderByDescending(v => v.Rank).ThenBy(v => v.DecidedAt).ThenBy(v => v.Id).ToList();
    }

    public async Task<FollowUpView?> FindAsync(FirmFramework framework, long id, CancellationToken cancellationToken = default)
    {
        var row = await db.FollowUps().AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        return row is null ? null : (await ViewsAsync(framework, [row], cancellationToken))[0];
    }

    public Task<HouseholdId?> HouseholdOfAsync(long id, CancellationToken cancellationToken = default) =>
        db.FollowUps().AsNoTracking().Where(f => f.Id == id).Select(f => (HouseholdId?)f.HouseholdId).SingleOrDefaultAsync(cancellationToken);

    /// <summary>A household's follow-ups: open ones first by rank, then the latest closed ones.</summary>
    public async Task<List<FollowUpView>> ForHouseholdAsync(FirmFramework framework, HouseholdId household, int closedLimit = 20, CancellationToken cancellationToken = default)
    {
        var open = await db.FollowUps().AsNoTracking()
            .Where(f => f.HouseholdId == household && f.Status != FollowUpStatus.Done && f.Status != FollowUpStatus.Cancelled)
            .OrderByDescending(f => f.Rank).ThenByDescending(f => f.Id).ToListAsync(cancellationToken);
        var closed = await db.FollowUps().AsNoTracking()
            .Where(f => f.HouseholdId == household && (f.Status == FollowUpStatus.Done || f.Status == FollowUpStatus.Cancelled))
            .OrderByDescending(f => f.ClosedAt).ThenByDescending(f => f.Id).Take(closedLimit).ToListAsync(cancellationToken);
        return await ViewsAsync(framework, [.. open, .. closed], cancellationToken);
    }

    /// <summary>The points standing on the household's meetings still to come (and any withdrawn from them), meeting by meeting.</summary>
    public async Task<List<AgendaItemView>> HouseholdAgendaAsync(HouseholdId household, CancellationToken cancellationToken = default)
    {
        var items = await (from i in db.AgendaItems().AsNoTracking()
                           join t in db.Touchpoints.AsNoTracking() on i.TouchpointId equals t.Id
                           where i.HouseholdId == household && t.Status == Ensemble.ServiceModel.TouchpointStatus.Planned
                           orderby t.StartsAt, i.Id
                           select new { Item = i, t.Kind, t.StartsAt })
            .ToListAsync(cancellationToken);
        return items.Select(x => View(x.Item, Meeting(x.Kind, x.StartsAt), x.StartsAt)).ToList();
    }

    /// <summary>A meeting's agenda points, standing first.</summary>
    public async Task<List<AgendaItemView>> AgendaAsync(TouchpointId touchpoint, CancellationToken cancellationToken = default)
    {
        var items = await db.AgendaItems().AsNoTracking().Where(i => i.TouchpointId == touchpoint).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        return items.OrderBy(i => !i.Stands).Select(i => View(i, null, null)).ToList();
    }

    private IQueryable<AlertFollowUp> Filtered(FollowUpFilter filter, IReadOnlyCollection<long>? visibleHouseholds)
    {
        var query = db.FollowUps().AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(f => f.Status == status);
        }
        else if (!filter.All)
        {
            query = query.Where(f => f.Status != FollowUpStatus.Done && f.Status != FollowUpStatus.Cancelled);
        }

        if (filter.Household is { } household)
        {
            query = query.Where(f => f.HouseholdId == household);
        }

        if (filter.Person is { } person)
        {
            query = query.Where(f => f.AssigneeId == person);
        }

        if (filter.Type is { } type)
        {
            query = query.Where(f => f.TypeKey == type);
        }

        if (filter.Channel is { } channel)
        {
            query = query.Where(f => f.Channel == channel);
        }

        if (visibleHouseholds is not null)
        {
            var ids = visibleHouseholds.Select(h => new HouseholdId(h)).ToList();
            query = query.Where(f => EF.Parameter(ids).Contains(f.HouseholdId));
        }

        return query;
    }

    private async Task<List<FollowUpView>> ViewsAsync(FirmFramework framework, List<AlertFollowUp> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var householdIds = rows.Select(f => f.HouseholdId).Distinct().ToList();
        var households = await db.Households.AsNoTracking().Where(h => EF.Parameter(householdIds).Contains(h.Id))
            .Select(h => new { h.Id, h.Key, h.Name }).ToDictionaryAsync(h => h.Id, cancellationToken);
        var staffIds = rows.Where(f => f.AssigneeId is not null).Select(f => f.AssigneeId!.Value).Distinct().ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => EF.Parameter(staffIds).Contains(s.Id))
            .Select(s => new { s.Id, s.Handle, s.Name }).ToDictionaryAsync(s => s.Id, cancellationToken);
        var instanceIds = rows.Where(f => f.InstanceId is not null).Select(f => f.InstanceId!.Value).Distinct().ToList();
        var instances = await db.Instances.AsNoTracking().Where(i => EF.Parameter(instanceIds).Contains(i.Id))
            .Select(i => new { i.Id, i.TemplateName, i.Status }).ToDictionaryAsync(i => i.Id, cancellationToken);
        var touchpointIds = rows.Where(f => f.TouchpointId is not null).Select(f => f.TouchpointId!.Value).Distinct().ToList();
        var touchpoints = await db.Touchpoints.AsNoTracking().Where(t => EF.Parameter(touchpointIds).Contains(t.Id))
            .Select(t => new { t.Id, t.Kind, t.StartsAt }).ToDictionaryAsync(t => t.Id, cancellationToken);
        var alertIds = rows.Select(f => f.AlertId).Distinct().ToList();
        var alerts = await db.Alerts.AsNoTracking().Where(a => EF.Parameter(alertIds).Contains(a.Id))
            .Select(a => new { a.Id, a.Status }).ToDictionaryAsync(a => a.Id, a => a.Status, cancellationToken);

        return rows.Select(f =>
        {
            var type = framework.Type(f.TypeKey);
            var household = households.GetValueOrDefault(f.HouseholdId);
            var person = f.AssigneeId is { } a ? staff.GetValueOrDefault(a) : null;
            var process = f.InstanceId is { } i ? instances.GetValueOrDefault(i) : null;
            var meeting = f.TouchpointId is { } t ? touchpoints.GetValueOrDefault(t) : null;
            return new FollowUpView(
                f.Id, f.AlertId.Value, household?.Key ?? "?", household?.Name ?? "?", f.TypeKey, type?.Title ?? f.TypeKey, type?.VariantLabel ?? "",
                f.Quadrant, f.Channel, f.Action, f.OwnerRole, person?.Handle, person?.Name, f.Status, f.Reason,
                type is null ? f.Rank : new CanvasPlace(type.Urgency, type.Sensitivity).Rank, f.DecidedAt, f.DecidedOn,
                f.InstanceId?.Value, process?.TemplateName, process?.Status, f.TouchpointId?.Value,
                meeting is null ? null : Meeting(meeting.Kind, meeting.StartsAt), meeting?.StartsAt,
                f.DigestOn, f.TaskOn, f.TakenUpBy, f.ClosedAt, f.ClosingNote, alerts.GetValueOrDefault(f.AlertId, AlertStatus.Resolved), f.Version, f.MessageKey);
        }).ToList();
    }

    private static string Meeting(Ensemble.ServiceModel.TouchpointKind kind, LocalDateTime startsAt) =>
        $"{MeetingText.KindName(kind).ToLowerInvariant()} on {MeetingText.When(startsAt)}";

    private static AgendaItemView View(AgendaItem i, string? meeting, LocalDateTime? at) =>
        new(i.Id, i.TouchpointId.Value, meeting, at, i.AlertId?.Value, i.Text, i.AddedAt, i.AddedBy, i.Stands, i.WithdrawnAt, i.WithdrawnBecause);
}
