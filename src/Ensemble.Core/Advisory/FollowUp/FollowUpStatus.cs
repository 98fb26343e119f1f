namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// Where a follow-up stands. It is decided (<see cref="Planned"/>), carried out one way — a task started, held in a
/// person's digest, put on the next meeting's agenda, or queued for the client — and closed as done or cancelled.
/// </summary>
public enum FollowUpStatus
{
    /// <summary>Decided, and waiting for the runner to start its task (a run stopped half-way leaves it here; the next one finishes it).</summary>
    Planned,

    /// <summary>A process was started for the household: its first task is on a person's list.</summary>
    TaskStarted,

    /// <summary>Over the person's noise budget for the day: listed in their daily digest, ranked, until taken up or the next day's budget has room.</summary>
    InDigest,

    /// <summary>An item on the agenda of the household's next scheduled meeting.</summary>
    OnAgenda,

    /// <summary>A message for the client by their channel, waiting for the outbox to deliver it.</summary>
    QueuedForClient,

    /// <summary>Carried through: the process finished, or the meeting that had it on its agenda was held.</summary>
    Done,

    /// <summary>No longer needed: the alert was resolved first (a started process is left to the team), or the follow-up could not go on.</summary>
    Cancelled,
}

/// <summary>The words people and the API use for follow-up statuses.</summary>
public static class FollowUpStatuses
{
    public const string Choices = "open (every status but done and cancelled), planned, task-started, in-digest, on-agenda, queued-for-client, done, cancelled or all";

    public static bool IsOpen(FollowUpStatus status) => status is not (FollowUpStatus.Done or FollowUpStatus.Cancelled);

    public static string Key(FollowUpStatus status) => status switch
    {
        FollowUpStatus.TaskStarted => "task-started",
        FollowUpStatus.InDigest => "in-digest",
        FollowUpStatus.OnAgenda => "on-agenda",
        FollowUpStatus.QueuedForClient => "queued-for-client",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The status as a person reads it; client messages say plainly that delivery is still to come.</summary>
    public static string Name(FollowUpStatus status) => status switch
    {
        FollowUpStatus.Planned => "Planned",
        FollowUpStatus.TaskStarted => "Task started",
        FollowUpStatus.InDigest => "In the daily digest",
        FollowUpStatus.OnAgenda => "On the next meeting's agenda",
        FollowUpStatus.QueuedForClient => "Queued for delivery",
        FollowUpStatus.Done => "Done",
        _ => "Cancelled",
    };

    /// <summary>A status from its word or enum name, in any case; null when it is neither.</summary>
    public static FollowUpStatus? Parse(string? text)
    {
        var word = text?.Trim().Replace(" ", "-", StringComparison.Ordinal).Replace("_", "-", StringComparison.Ordinal).ToLowerInvariant();
        return word switch
        {
            "planned" => FollowUpStatus.Planned,
            "task-started" or "taskstarted" or "task" => FollowUpStatus.TaskStarted,
            "in-digest" or "indigest" or "digest" => FollowUpStatus.InDigest,
            "on-agenda" or "onagenda" or "agenda" => FollowUpStatus.OnAgenda,
            "queued-for-client" or "queuedforclient" or "queued" => FollowUpStatus.QueuedForClient,
            "done" => FollowUpStatus.Done,
            "cancelled" or "canceled" => FollowUpStatus.Cancelled,
            _ => null,
        };
    }
}
