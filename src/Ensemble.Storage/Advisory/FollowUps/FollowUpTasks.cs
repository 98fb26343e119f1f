using System.Globalization;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage.Library;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>A follow-up template as the runner uses it: its key, its first step and the role that step is written for.</summary>
internal sealed record FollowUpTemplate(string Key, string Name, string EntryStep, string EntryRole)
{
    /// <summary>The role that does the first step for this follow-up: the playbook's caller when it is a call, else the template's role.</summary>
    public string ActingRole(AlertFollowUp followUp) =>
        followUp.Channel == FollowUpChannel.PhoneCall && followUp.OwnerRole is { Length: > 0 } caller ? caller : EntryRole;

    /// <summary>
    /// Hands the call to the playbook's caller when the firm chose another role than the template's: the whole call
    /// (every step of the template's role) for a plain call, only the booking call for an advice meeting, whose
    /// meeting stays with the advisor. Null when the template's roles stand.
    /// </summary>
    public IReadOnlyDictionary<string, string>? StandIns(AlertFollowUp followUp)
    {
        var role = ActingRole(followUp);
        return role == EntryRole ? null
            : new Dictionary<string, string>(StringComparer.Ordinal) { [Key == FollowUpRoute.CallTemplate ? EntryRole : EntryStep] = role };
    }
}

/// <summary>
/// Starts the process that carries a follow-up task, once per alert: the start carries the trigger key
/// <c>follow-up:{alert}</c>, so a run repeated after a crash, or a second node, finds the process already started
/// instead of starting another. The follow-up templates ship in the built-in library; a firm whose library predates
/// them gets them added (audited) the first time one is needed.
/// </summary>
internal sealed class FollowUpTasks(EnsembleDb db, IClock clock)
{
    private readonly Dictionary<string, Result<FollowUpTemplate>> _templates = new(StringComparer.Ordinal);

    public static string TriggerKey(AlertFollowUp followUp) => $"follow-up:{followUp.AlertId.Value.ToString(CultureInfo.InvariantCulture)}";

    public async Task<Result<FollowUpTemplate>> TemplateAsync(string key, string actor, CancellationToken cancellationToken)
    {
        if (_templates.TryGetValue(key, out var known))
        {
            return known;
        }

        var version = await TemplateVersions.LatestAsync(db, key, cancellationToken);
        if (version is null)
        {
            var text = BuiltInLibrary.Texts().Where(t => t.Name.EndsWith("/" + key + ".yaml", StringComparison.Ordinal)).ToList();
            if (text.Count == 1)
            {
                var imported = await new TemplateLibrary(db, clock).ImportTextsAsync(text, actor, cancellationToken);
                db.ChangeTracker.Clear();
                if (!imported.IsSuccess)
                {
                    return _templates[key] = Error.NotFound($"The {key} template could not be added from the built-in library: {imported.Error!.Message}");
                }

                version = await TemplateVersions.LatestAsync(db, key, cancellationToken);
            }
        }

        if (version is null)
        {
            return _templates[key] = Error.NotFound($"The library has no {key} template; import it to let follow-ups start their tasks.");
        }

        var template = await TemplateCache.GetAsync(db, version.Id, cancellationToken);
        var entry = template.EntrySteps.FirstOrDefault();
        return _templates[key] = entry is null
            ? Error.Invalid($"The {key} template has no step that starts at once, so a follow-up would give no one a task.")
            : new FollowUpTemplate(key, template.Name, entry.Key, entry.Role);
    }

    /// <summary>Starts the follow-up's process (or finds the one a previous run started) and tells who its first task went to.</summary>
    public async Task<Result<(InstanceId Instance, StaffId? Assignee)>> StartAsync(AlertFollowUp followUp, FollowUpTemplate template, string actor, CancellationToken cancellationToken)
    {
        var key = TriggerKey(followUp);
        var role = template.ActingRole(followUp);
        var started = await new WorkService(db, clock).StartAsync(template.Key, followUp.HouseholdId, new Dictionary<string, LocalDate>(), actor, key, template.StandIns(followUp), cancellationToken);
        db.ChangeTracker.Clear();
        if (started.IsSuccess)
        {
            var first = started.Value.Activated.FirstOrDefault(t => t.RoleKey == role) ?? (started.Value.Activated.Count > 0 ? started.Value.Activated[0] : null);
            return (started.Value.Instance.Id, first?.AssigneeId);
        }

        // Started before (a run that stopped half-way, another node): take that process.
        var existing = await db.Instances.AsNoTracking().Where(i => i.TriggerKey == key).Select(i => (InstanceId?)i.Id).SingleOrDefaultAsync(cancellationToken);
        if (existing is not { } instance)
        {
            return started.Error!;
        }

        var assignee = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instance).OrderBy(t => t.Id).Select(t => t.AssigneeId).FirstOrDefaultAsync(cancellationToken);
        return (instance, assignee);
    }
}
