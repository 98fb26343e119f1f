using Ensemble.Common;
using NodaTime;

namespace Ensemble.Processes.Running;

public enum InstanceStatus
{
    Running,
    Completed,
    Cancelled,
}

/// <summary>
/// One run of a template for a household (or for the firm). It keeps the template version it
/// started with, so editing the template never changes work already under way.
/// </summary>
public sealed class ProcessInstance
{
    private ProcessInstance()
    {
        TemplateKey = "";
        TemplateName = "";
        StartedBy = "";
    }

    internal ProcessInstance(
        TemplateVersionId templateVersionId,
        string templateKey,
        string templateName,
        HouseholdId? householdId,
        IReadOnlyDictionary<string, LocalDate> anchors,
        string startedBy,
        Instant startedAt,
        LocalDate startedOn,
        string? triggerKey,
        IReadOnlyDictionary<string, string>? standIns = null)
    {
        TemplateVersionId = templateVersionId;
        TemplateKey = templateKey;
        TemplateName = templateName;
        HouseholdId = householdId;
        Anchors = new Dictionary<string, LocalDate>(anchors, StringComparer.Ordinal);
        StartedBy = startedBy;
        StartedAt = startedAt;
        StartedOn = startedOn;
        TriggerKey = triggerKey;
        StandIns = standIns is null || standIns.Count == 0 ? null : string.Join(';', standIns.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        Status = InstanceStatus.Running;
    }

    public InstanceId Id { get; private set; }

    public TemplateVersionId TemplateVersionId { get; private set; }

    public string TemplateKey { get; private set; }

    public string TemplateName { get; private set; }

    /// <summary>Null for firm-level work.</summary>
    public HouseholdId? HouseholdId { get; private set; }

    /// <summary>Named dates the due rules count from, e.g. the meeting date.</summary>
    public Dictionary<string, LocalDate> Anchors { get; private set; } = new(StringComparer.Ordinal);

    public InstanceStatus Status { get; private set; }

    public string StartedBy { get; private set; }

    public Instant StartedAt { get; private set; }

    public LocalDate StartedOn { get; private set; }

    public Instant? EndedAt { get; private set; }

    /// <summary>
    /// Unique key of what started it automatically (a periodic occurrence or an event), so the same
    /// occurrence can never start two instances, even from two processes at once.
    /// </summary>
    public string? TriggerKey { get; private set; }

    /// <summary>
    /// Roles that stand in for the template's in this run only, as <c>step-or-role=acting-role</c> pairs separated by
    /// semicolons: a step key hands that step over, a role key all that role's steps (e.g. a follow-up call the firm
    /// gives to its paraplanners); null when every step goes to its own role.
    /// </summary>
    public string? StandIns { get; private set; }

    public int Version { get; private set; }

    /// <summary>The role that does step <paramref name="stepKey"/>, written for <paramref name="role"/>, in this run: a stand-in for the step, else for the role, else the role.</summary>
    public string ActingRole(string stepKey, string role)
    {
        if (StandIns is null)
        {
            return role;
        }

        string? forRole = null;
        foreach (var pair in StandIns.Split(';'))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var key = pair.AsSpan(0, at);
            if (key.SequenceEqual(stepKey))
            {
                return pair[(at + 1)..];
            }

            if (key.SequenceEqual(role))
            {
                forRole = pair[(at + 1)..];
            }
        }

        return forRole ?? role;
    }

    public List<WorkTask> Tasks { get; private set; } = [];

    public WorkTask? TaskFor(string stepKey) => Tasks.FirstOrDefault(t => t.StepKey == stepKey);

    internal WorkTask AddTask(string stepKey, string title, string roleKey, int minutes, LocalDate? dueOn, Instant now)
    {
        var task = new WorkTask(this, stepKey, title, roleKey, minutes, dueOn, now);
        Tasks.Add(task);
        return task;
    }

    /// <summary>Every transition bumps the version, so two transitions on one instance at once cannot both
    /// decide what becomes active next; the loser retries on fresh state.</summary>
    internal void Touch() => Version++;

    internal void MarkCompleted(Instant now)
    {
        Status = InstanceStatus.Completed;
        EndedAt = now;
        Version++;
    }

    internal void MarkCancelled(Instant now)
    {
        Status = InstanceStatus.Cancelled;
        EndedAt = now;
        Version++;
    }
}
