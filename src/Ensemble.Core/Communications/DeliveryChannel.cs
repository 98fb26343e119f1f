namespace Ensemble.Communications;

/// <summary>How a message reaches its recipient.</summary>
public enum DeliveryChannel
{
    /// <summary>Email over SMTP, with an HTML and a plain-text part.</summary>
    Email,

    /// <summary>A printed letter: one document per recipient in a print-ready batch.</summary>
    Letter,

    /// <summary>A message in the client portal, read when the client next signs in.</summary>
    Portal,
}

/// <summary>Names for channels as households, files and the API spell them.</summary>
public static class DeliveryChannels
{
    public static string Name(this DeliveryChannel channel) => channel switch
    {
        DeliveryChannel.Email => "email",
        DeliveryChannel.Letter => "letter",
        DeliveryChannel.Portal => "portal",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>Reads "email", "letter" or "portal"; other preferences (phone, sms) are not delivery channels.</summary>
    public static DeliveryChannel? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "email" => DeliveryChannel.Email,
        "letter" or "mail" or "post" => DeliveryChannel.Letter,
        "portal" => DeliveryChannel.Portal,
        _ => null,
    };
}
