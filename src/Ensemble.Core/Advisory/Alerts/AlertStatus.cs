namespace Ensemble.Advisory.Alerts;

/// <summary>
/// Where an alert stands: raised (new), seen by someone (acknowledged), being worked on with the client
/// (in follow-up), or closed (resolved). Only a resolved alert is closed; the others are open.
/// </summary>
public enum AlertStatus
{
    New,
    Acknowledged,
    InFollowUp,
    Resolved,
}

/// <summary>How an alert was resolved.</summary>
public enum AlertResolution
{
    /// <summary>The rule no longer fires for the household: the file was put right, or the date passed.</summary>
    ConditionCleared,

    /// <summary>A person closed it, with a note saying why.</summary>
    ByPerson,

    /// <summary>The firm took the rule out of its framework.</summary>
    RuleRemoved,
}

/// <summary>The words people and the API use for statuses (new, acknowledged, in-follow-up, resolved).</summary>
public static class AlertStatuses
{
    public static readonly IReadOnlyList<AlertStatus> All = [AlertStatus.New, AlertStatus.Acknowledged, AlertStatus.InFollowUp, AlertStatus.Resolved];

    public const string Choices = "new, acknowledged, in-follow-up, resolved, open (every status but resolved) or snoozed";

    public static string Key(AlertStatus status) => status switch
    {
        AlertStatus.InFollowUp => "in-follow-up",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Name(AlertStatus status) => status switch
    {
        AlertStatus.New => "New",
        AlertStatus.Acknowledged => "Acknowledged",
        AlertStatus.InFollowUp => "In follow-up",
        _ => "Resolved",
    };

    public static string Name(AlertResolution resolution) => resolution switch
    {
        AlertResolution.ConditionCleared => "condition cleared",
        AlertResolution.ByPerson => "resolved by a person",
        _ => "rule removed from the framework",
    };

    /// <summary>A status from its word, its name or its enum name, in any case; null when it is none of them.</summary>
    public static AlertStatus? Parse(string? text)
    {
        var word = text?.Trim().Replace(" ", "-", StringComparison.Ordinal).Replace("_", "-", StringComparison.Ordinal).ToLowerInvariant();
        return word switch
        {
            "new" => AlertStatus.New,
            "acknowledged" => AlertStatus.Acknowledged,
            "in-follow-up" or "infollowup" or "follow-up" => AlertStatus.InFollowUp,
            "resolved" => AlertStatus.Resolved,
            _ => null,
        };
    }
}
