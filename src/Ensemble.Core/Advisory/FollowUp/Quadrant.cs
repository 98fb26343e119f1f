namespace Ensemble.Advisory.FollowUp;

/// <summary>The four fields of the canvas: urgent or not, by much or little advice needed.</summary>
public enum Quadrant
{
    /// <summary>Urgent and advice-sensitive: the advisor acts now.</summary>
    UrgentAdvice,

    /// <summary>Urgent, little advice needed: push it to the client; the back office follows through.</summary>
    UrgentService,

    /// <summary>Not urgent but advice-sensitive: take it up at the next meeting with the advisor.</summary>
    PlannedAdvice,

    /// <summary>Neither: a nudge and a self-service route are enough.</summary>
    SelfService,
}
