using NodaTime;

namespace Ensemble.Storage.Timers;

public enum TimerOutcomeKind
{
    /// <summary>The effect happened and the timer is fired, in one transaction.</summary>
    Fired,

    /// <summary>The effect was refused for a reason a retry would not change; the timer is settled with the reason.</summary>
    Refused,

    /// <summary>Another node claimed the timer after this node's lease ran out; nothing was done here.</summary>
    LeaseLost,

    /// <summary>Something unexpected failed; the timer is given back, to be claimed again after a pause.</summary>
    Retrying,
}

/// <summary>What firing one claimed timer came to, with a sentence for the log.</summary>
public sealed record TimerOutcome(TimerOutcomeKind Kind, string Detail, Instant At);
