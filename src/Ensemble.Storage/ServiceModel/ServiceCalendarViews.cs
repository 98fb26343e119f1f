using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Calendar;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>A meeting of the service calendar as lists show it.</summary>
public sealed record TouchpointView(
    long Id,
    string HouseholdKey,
    string HouseholdName,
    int Year,
    int Sequence,
    TouchpointKind Kind,
    LocalDateTime StartsAt,
    int Minutes,
    string? Advisor,
    string? AdvisorName,
    string? Topic,
    string? TopicTitle,
    long? ProcessId,
    InstanceStatus? ProcessStatus,
    TouchpointStatus Status,
    Instant? HeldAt,
    string? Note)
{
    public LocalDate Date => StartsAt.Date;

    /// <summary>"Annual review", "Topic meeting: Medicare choices…", "Action item review".</summary>
    public string Title => KindName(Kind) + (TopicTitle is null ? "" : $": {TopicTitle}");

    public static string KindName(TouchpointKind kind) => kind switch
    {
        TouchpointKind.Review => "Annual review",
        TouchpointKind.TopicMeeting => "Topic meeting",
        TouchpointKind.ActionItemReview => "Action item review",
        _ => kind.ToString(),
    };
}

/// <summary>A meeting the calendar could not place, for the household named, and why.</summary>
public sealed record UnplacedLine(string HouseholdKey, string HouseholdName, int Year, int Sequence, TouchpointKind Kind, string Reason);

/// <summary>
/// What laying out a year did: households considered (clients), meetings placed, already there, processes
/// started for them, households below the service model, review months given, and what could not be placed.
/// </summary>
public sealed record LayOutReport(
    int Year,
    int Households,
    int Placed,
    int AlreadyThere,
    int ProcessesStarted,
    int Unsegmented,
    int ReviewMonthsAssigned,
    IReadOnlyList<UnplacedLine> Unplaced,
    IReadOnlyList<string> Notes);

/// <summary>
/// The meeting that should follow another in line with the household's tier: either already booked
/// (<see cref="Booked"/>), or proposed at a free time (<see cref="StartsAt"/>), or not possible, with the reason.
/// </summary>
public sealed record TouchpointProposal(
    int Year,
    int Sequence,
    TouchpointKind Kind,
    int Minutes,
    LocalDateTime? StartsAt,
    string? Advisor,
    string? Topic,
    string? TopicTitle,
    TouchpointView? Booked,
    string? Reason)
{
    public bool CanBook => Booked is null && StartsAt is not null;

    /// <summary>One line for a person: what comes next and when.</summary>
    public string Describe()
    {
        var what = TouchpointView.KindName(Kind) + (TopicTitle is null ? "" : $" ({TopicTitle})");
        if (Booked is { } booked)
        {
            return $"{what} is already booked for {booked.StartsAt.ToString("ddd d MMM uuuu HH:mm", null)}.";
        }

        return StartsAt is { } at
            ? $"{what} on {at.ToString("ddd d MMM uuuu HH:mm", null)} with {Advisor}, {Minutes} minutes."
            : $"{what} cannot be placed: {Reason}.";
    }
}

/// <summary>What marking a meeting held gave: the meeting, the proposal for the next one, and the next one if it was booked.</summary>
public sealed record HeldOutcome(TouchpointView Held, TouchpointProposal? Next, TouchpointView? Booked);

/// <summary>Reads the service calendar for lists: a household's year, an advisor's month.</summary>
public sealed class ServiceCalendarViews(EnsembleDb db)
{
    /// <summary>A household's meetings, of one service year or all, earliest first.</summary>
    public async Task<List<TouchpointView>> ForHouseholdAsync(HouseholdId householdId, int? year = null, CancellationToken cancellationToken = default)
    {
        var query = db.Touchpoints.AsNoTracking().Where(t => t.HouseholdId == householdId);
        if (year is { } y)
        {
            query = query.Where(t => t.Year == y);
        }

        return await ViewsAsync(await query.OrderBy(t => t.StartsAt).ThenBy(t => t.Id).ToListAsync(cancellationToken), cancellationToken);
    }

    /// <summary>The meetings an advisor holds in a month, earliest first.</summary>
    public async Task<List<TouchpointView>> ForAdvisorAsync(StaffId advisorId, int year, int month, CancellationToken cancellationToken = default)
    {
        var from = new LocalDate(year, month, 1).AtMidnight();
        var to = from.PlusMonths(1);
        var rows = await db.Touchpoints.AsNoTracking()
            .Where(t => t.AdvisorId == advisorId && t.StartsAt >= from && t.StartsAt < to)
            .OrderBy(t => t.StartsAt).ThenBy(t => t.Id)
            .ToListAsync(cancellationToken);
        return await ViewsAsync(rows, cancellationToken);
    }

    public async Task<TouchpointView?> FindAsync(TouchpointId id, CancellationToken cancellationToken = default)
    {
        var row = await db.Touchpoints.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return row is null ? null : (await ViewsAsync([row], cancellationToken))[0];
    }

    internal async Task<List<TouchpointView>> ViewsAsync(IReadOnlyList<Touchpoint> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var householdIds = rows.Select(t => t.HouseholdId).Distinct().ToList();
        var households = await db.Households.AsNoTracking().Where(h => householdIds.Contains(h.Id))
            .Select(h => new { h.Id, h.Key, h.Name }).ToDictionaryAsync(h => h.Id, cancellationToken);
        var staffIds = rows.Where(t => t.AdvisorId != null).Select(t => t.AdvisorId!.Value).Distinct().ToList();
        var staff = await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Handle, s.Name }).ToDictionaryAsync(s => s.Id, cancellationToken);
        var instanceIds = rows.Where(t => t.InstanceId != null).Select(t => t.InstanceId!.Value).Distinct().ToList();
        var processes = await db.Instances.AsNoTracking().Where(i => instanceIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Status }).ToDictionaryAsync(i => i.Id, i => i.Status, cancellationToken);
        var topics = (await ServiceSettingsStore.GetAsync(db, cancellationToken)).Topics.ToDictionary(t => t.Key, t => t.Title, StringComparer.Ordinal);

        return rows.Select(t =>
        {
            var household = households[t.HouseholdId];
            var advisor = t.AdvisorId is { } a && staff.TryGetValue(a, out var s) ? s : null;
            return new TouchpointView(
                t.Id.Value, household.Key, household.Name, t.Year, t.Sequence, t.Kind, t.StartsAt, t.Minutes,
                advisor?.Handle, advisor?.Name, t.Topic, t.Topic is null ? null : topics.GetValueOrDefault(t.Topic, t.Topic),
                t.InstanceId?.Value, t.InstanceId is { } i && processes.TryGetValue(i, out var status) ? status : null,
                t.Status, t.HeldAt, t.Note);
        }).ToList();
    }

    /// <summary>Reads a month written as yyyy-MM (2027-03), as the calendar's month views take it.</summary>
    public static Result<YearMonth> ParseMonth(string? text, string field = "month")
    {
        var parsed = NodaTime.Text.YearMonthPattern.Iso.Parse(text?.Trim() ?? "");
        return parsed.Success && parsed.Value.Year is >= 2000 and <= 2200
            ? parsed.Value
            : Error.Invalid($"{field}: \"{text}\" is not a month; write it as yyyy-MM, e.g. 2027-03.");
    }

    /// <summary>The title of a topic key in the firm's topic library (the key itself when the library no longer has it).</summary>
    internal static string? TopicTitle(ServiceSettings settings, string? key) =>
        key is null ? null : settings.Topics.FirstOrDefault(t => t.Key == key)?.Title ?? key;

    internal static TouchpointProposal Proposal(PlannedTouchpoint placed, string advisor, ServiceSettings settings) =>
        new(placed.Year, placed.Sequence, placed.Kind, placed.Minutes, placed.StartsAt, advisor, placed.Topic, TopicTitle(settings, placed.Topic), null, null);
}
