using Ensemble.Common;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Calendar;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.ServiceModel;

/// <summary>
/// The yearly service calendar: lays out each tiered client household's meetings for a year and starts the
/// process that prepares and follows up each one, its tasks dated around the meeting; marks meetings held
/// (proposing, and optionally booking, the next in line with the tier) or cancelled.
/// </summary>
/// <remarks>
/// Rescheduling a meeting is not offered: a running process keeps the anchor dates it was started with, and
/// <see cref="WorkService"/> has no way to move them (cancel the meeting and book another instead).
/// </remarks>
public sealed partial class ServiceCalendar(EnsembleDb db, IClock clock)
{
    private const string LayOutOperation = "lay-out-calendar";

    /// <summary>Lays out a year for every client household, or for the one named by its key.</summary>
    public async Task<Result<LayOutReport>> LayOutAsync(int year, string? householdKey, string actor, CancellationToken cancellationToken = default)
    {
        if (householdKey is null)
        {
            return await LayOutAsync(year, (IReadOnlyCollection<HouseholdId>?)null, actor, cancellationToken);
        }

        var household = await db.Households.AsNoTracking().Where(h => h.Key == householdKey.Trim())
            .Select(h => new { h.Id, h.Stage }).SingleOrDefaultAsync(cancellationToken);
        if (household is null)
        {
            return Error.NotFound($"There is no household {householdKey.Trim()}.");
        }

        if (household.Stage != global::Ensemble.Households.LifecycleStage.Client)
        {
            return Error.Invalid($"household: {householdKey.Trim()} is a {household.Stage.ToString().ToLowerInvariant()}; the service calendar is for clients.");
        }

        return await LayOutAsync(year, [household.Id], actor, cancellationToken);
    }

    /// <summary>
    /// Lays out a year for the given client households (all when null): places the meetings not yet in the
    /// calendar, gives review months to households without one, adds the meetings and starts their processes.
    /// Safe to run again: meetings already there are left alone, and one whose process did not start (a run
    /// stopped part-way) gets it now.
    /// </summary>
    public async Task<Result<LayOutReport>> LayOutAsync(int year, IReadOnlyCollection<HouseholdId>? households, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (year is < 2000 or > 2200)
        {
            return Error.Invalid($"year: lay out a year from 2000 to 2200, not {year}.");
        }

        var settings = await ServiceSettingsStore.GetAsync(db, cancellationToken);
        var versions = await TemplatesAsync(settings, cancellationToken);
        if (!versions.IsSuccess)
        {
            return versions.Error!;
        }

        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var clients = await ServiceCalendarInputs.ClientsAsync(db, households, settings, today, cancellationToken);
        var scope = households is null ? null : clients.Select(c => c.Household.Id).ToList();
        var advisorsInScope = scope is null ? null : clients.Where(c => c.Household.AdvisorId is not null).Select(c => c.Household.AdvisorId!.Value).Distinct().ToList();
        var request = new CalendarRequest(
            year,
            clients.Select(c => c.Household).ToList(),
            settings,
            firm.Calendar,
            await ServiceCalendarInputs.AdvisorsAsync(db, cancellationToken),
            await ServiceCalendarInputs.ExistingAsync(db, year, scope, advisorsInScope, cancellationToken),
            await ServiceCalendarInputs.TopicHistoryAsync(db, year, scope, cancellationToken),
            today.PlusDays(1));
        var plan = CalendarPlanner.LayOut(request);

        db.Actor = actor;
        db.Operation = LayOutOperation;
        try
        {
            var (months, added) = await ServiceCalendarWriter.WithLargeCacheAsync(db, async () => (
                await ServiceCalendarWriter.SaveReviewMonthsAsync(db, plan.AssignedReviewMonths, clock, cancellationToken),
                await ServiceCalendarWriter.InsertAsync(db, plan.Placed, clock, cancellationToken)), cancellationToken);
            var (started, errors) = await StartProcessesAsync(year, scope, clients, settings, versions.Value, actor, cancellationToken);

            var names = clients.ToDictionary(c => c.Household.Id);
            var notes = added
                .Where(a => a.Meeting.TopicNote is not null)
                .Select(a => $"{names[a.Meeting.HouseholdId].Key}: {a.Meeting.TopicNote}")
                .Concat(errors)
                .ToList();
            var unplaced = plan.Unplaced
                .Select(u => new UnplacedLine(names[u.HouseholdId].Key, names[u.HouseholdId].Name, u.Year, u.Sequence, u.Kind, u.Reason))
                .ToList();
            return new LayOutReport(
                year, clients.Count, added.Count, plan.AlreadyThere + (plan.Placed.Count - added.Count), started,
                plan.Unsegmented, months, unplaced, notes);
        }
        finally
        {
            db.Operation = null;
        }
    }

    /// <summary>
    /// Starts the process of every planned meeting of the year that has none yet, in bulk, one call per
    /// template, each dated by the meeting; then records each process on its meeting.
    /// </summary>
    private async Task<(int Started, List<string> Errors)> StartProcessesAsync(
        int year, List<HouseholdId>? scope, List<CalendarClient> clients, ServiceSettings settings,
        Dictionary<string, TemplateVersionId> versions, string actor, CancellationToken cancellationToken)
    {
        var query = db.Touchpoints.AsNoTracking().Where(t => t.Year == year && t.Status == TouchpointStatus.Planned && t.InstanceId == null);
        if (scope is not null)
        {
            query = query.Where(t => scope.Contains(t.HouseholdId));
        }

        var waiting = await query.Select(t => new { t.Id, t.HouseholdId, t.Sequence, t.Kind, t.StartsAt }).ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return (0, []);
        }

        var tiers = clients.ToDictionary(c => c.Household.Id, c => c.Household.Tier);
        var started = 0;
        var errors = new List<string>();
        var links = new List<(TouchpointId, HouseholdId, InstanceId)>(waiting.Count);
        var byTemplate = waiting.GroupBy(t => ServiceCalendarInputs.TemplateFor(settings, tiers.GetValueOrDefault(t.HouseholdId, ServiceTier.C), t.Sequence, t.Kind));
        foreach (var group in byTemplate)
        {
            if (group.Key is not { } template || !versions.TryGetValue(template, out var version))
            {
                errors.Add($"{group.Count()} meeting(s) of kind {group.First().Kind} have no template in the service settings; their processes were not started.");
                continue;
            }

            var items = group
                .Select(t => new BulkStartItem(t.HouseholdId, new Dictionary<string, LocalDate> { ["meeting"] = t.StartsAt.Date }, ServiceCalendarInputs.TriggerKey(t.HouseholdId, year, t.Sequence)))
                .ToList();
            var report = await new BulkStarter(db, clock).StartAsync(version, items, actor, cancellationToken);
            started += report.Started;
            errors.AddRange(report.Errors);

            // Started now or by an earlier run that stopped before recording it: either way the key finds it.
            var byKey = group.ToDictionary(t => ServiceCalendarInputs.TriggerKey(t.HouseholdId, year, t.Sequence));
            foreach (var chunk in byKey.Keys.Chunk(ServiceCalendarWriter.ChunkSize))
            {
                var keys = chunk.ToList();
                var instances = await db.Instances.AsNoTracking()
                    .Where(i => i.TriggerKey != null && EF.Parameter(keys).Contains(i.TriggerKey))
                    .Select(i => new { i.Id, i.TriggerKey })
                    .ToListAsync(cancellationToken);
                links.AddRange(instances.Select(i => (new TouchpointId(byKey[i.TriggerKey!].Id.Value), byKey[i.TriggerKey!].HouseholdId, i.Id)));
            }
        }

        db.Operation = LayOutOperation;
        await ServiceCalendarWriter.WithLargeCacheAsync(db, () => ServiceCalendarWriter.AttachAsync(db, links, clock, cancellationToken), cancellationToken);
        return (started, errors);
    }

    /// <summary>The latest version of every template the calendar starts; refused as a whole when one is missing or cannot be dated by a meeting.</summary>
    private async Task<Result<Dictionary<string, TemplateVersionId>>> TemplatesAsync(ServiceSettings settings, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, TemplateVersionId>(StringComparer.Ordinal);
        foreach (var (tier, plan) in settings.Calendar.OrderBy(c => c.Key))
        {
            for (var i = 0; i < plan.Count; i++)
            {
                var key = plan[i].Template;
                if (versions.ContainsKey(key))
                {
                    continue;
                }

                var version = await TemplateVersions.LatestAsync(db, key, cancellationToken);
                if (version is null)
                {
                    return Error.Invalid($"calendar.{tier}[{i}].template: there is no template \"{key}\" in the library; import it (`ensemble templates import`) or change the service settings.");
                }

                var template = await TemplateCache.GetAsync(db, version.Id, cancellationToken);
                if (!template.Anchors.Contains("meeting"))
                {
                    return Error.Invalid($"calendar.{tier}[{i}].template: \"{key}\" has no \"meeting\" anchor, so its tasks cannot be dated around the meeting.");
                }

                versions[key] = version.Id;
            }
        }

        return versions;
    }
}
