namespace Ensemble.Communications;

/// <summary>Where one message stands on its way to one recipient.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting in the outbox (also between retries).</summary>
    Queued,

    /// <summary>Claimed by a sending node, which holds a lease on it.</summary>
    Sending,

    /// <summary>Handed over: the mail server accepted it, the letter went into a print batch, the portal shows it.</summary>
    Sent,

    /// <summary>Confirmed received (a delivery report, a portal read).</summary>
    Delivered,

    /// <summary>Given up after the last retry, or refused for good (an invalid address).</summary>
    Failed,

    /// <summary>Accepted, then returned by the recipient's mail system.</summary>
    Bounced,
}

public static class DeliveryStatuses
{
    public static string Name(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued => "queued",
        DeliveryStatus.Sending => "sending",
        DeliveryStatus.Sent => "sent",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Bounced => "bounced",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Reads a status as <see cref="Name"/> spells it (queued, sent…), ignoring case and spaces; null when it is none.</summary>
    public static DeliveryStatus? Parse(string? text)
    {
        var name = (text ?? "").Trim().ToLowerInvariant();
        return Enum.GetValues<DeliveryStatus>().Cast<DeliveryStatus?>().FirstOrDefault(s => s!.Value.Name() == name);
    }

    public static bool IsFinal(this DeliveryStatus status) => status is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Failed or DeliveryStatus.Bounced;
}
