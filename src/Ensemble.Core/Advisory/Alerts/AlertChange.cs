using NodaTime;

namespace Ensemble.Advisory.Alerts;

/// <summary>
/// One step in an alert's history: who did what when, the status before and after, and a note. Raising is
/// not a step (the alert's own row records it); every move after it is.
/// </summary>
public sealed class AlertChange
{
    public const string Acknowledged = "acknowledged";
    public const string FollowUp = "follow-up";
    public const string Snoozed = "snoozed";
    public const string Resolved = "resolved";
    public const string Cleared = "condition-cleared";
    public const string Removed = "rule-removed";
    public const string Variant = "variant-moved";

    /// <summary>Between the variant moved from and the one moved to, in a variant move's note.</summary>
    public const string VariantArrow = " → ";

    private AlertChange()
    {
        Actor = "";
        What = "";
    }

    public AlertChange(AlertId alertId, Instant at, string actor, string what, AlertStatus? from, AlertStatus to, string? note)
    {
        AlertId = alertId;
        At = at;
        Actor = actor;
        What = what;
        From = from;
        To = to;
        Note = note;
    }

    public long Id { get; private set; }

    public AlertId AlertId { get; private set; }

    public Instant At { get; private set; }

    /// <summary>A staff handle, or <see cref="Alert.System"/> for the run.</summary>
    public string Actor { get; private set; }

    /// <summary>What happened: one of the constants of this class.</summary>
    public string What { get; private set; }

    public AlertStatus? From { get; private set; }

    public AlertStatus To { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The change as a sentence for history lists.</summary>
    public string Describe() => What switch
    {
        Acknowledged => "acknowledged",
        FollowUp => "put in follow-up",
        Snoozed => "snoozed",
        Resolved => "resolved",
        Cleared => "resolved automatically: condition cleared",
        Removed => "resolved automatically: rule removed",
        Variant => "moved to another variant",
        _ => What,
    };
}
