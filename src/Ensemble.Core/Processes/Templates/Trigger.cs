namespace Ensemble.Processes.Templates;

/// <summary>What starts an instance of a template.</summary>
public abstract record Trigger;

/// <summary>Someone starts it by hand (always allowed; listed to make intent explicit).</summary>
public sealed record ManualTrigger : Trigger;

/// <summary>Events the engine raises that can start processes.</summary>
public enum EventKind
{
    HouseholdBecameClient,
    AccountOpened,
    ProcessCompleted,
}

/// <summary>Started when an event happens to a household; for ProcessCompleted, <see cref="TemplateKey"/> names the process.</summary>
public sealed record EventTrigger(EventKind Event, string? TemplateKey) : Trigger;

public enum Cadence
{
    Monthly,
    Quarterly,
    SemiAnnual,
    Annual,
    Cron,
}

/// <summary>What to do about occurrences that fell while Ensemble was not running.</summary>
public enum MissedRunPolicy
{
    /// <summary>Start missed occurrences that are still within <see cref="PeriodicTrigger.CatchUpWindowDays"/>.</summary>
    CatchUp,
    /// <summary>Drop missed occurrences; wait for the next one.</summary>
    Skip,
}

/// <summary>What to do when the previous instance is still open when the next occurrence arrives.</summary>
public enum OverlapPolicy
{
    /// <summary>Start the new one alongside the open one.</summary>
    Allow,
    /// <summary>Do not start a new one while one is open; the occurrence is recorded as skipped.</summary>
    SkipWhileOpen,
    /// <summary>Cancel the open one's remaining tasks and start afresh.</summary>
    CancelPrevious,
}

/// <summary>Which households a periodic household process runs for.</summary>
public enum PeriodicAudience
{
    Firm,
    AllClients,
}

/// <summary>
/// Starts on a calendar cadence. <see cref="DayOfPeriod"/> is the business day of the period (1 = first business day).
/// For <see cref="Cadence.Cron"/> the expression (5 fields, firm time zone) is in <see cref="CronExpression"/>.
/// </summary>
public sealed record PeriodicTrigger(
    Cadence Cadence,
    string? CronExpression,
    int DayOfPeriod,
    int StartMonth,
    MissedRunPolicy Missed,
    int CatchUpWindowDays,
    OverlapPolicy Overlap,
    PeriodicAudience Audience) : Trigger;
