namespace Ensemble.ServiceModel.Contacts;

/// <summary>How a personal contact reaches the client.</summary>
public enum ContactChannel
{
    Call,
    Email,
    Card,
    Portal,
    Sms,
}

/// <summary>Turns a household's preferred channels (phone, email, letter, portal, sms) into the form its contact takes.</summary>
public static class ContactChannels
{
    /// <summary>The first channel the household prefers that Ensemble knows; a call when none is stated.</summary>
    public static ContactChannel For(IEnumerable<string> preferred)
    {
        ArgumentNullException.ThrowIfNull(preferred);
        foreach (var channel in preferred)
        {
            if (From(channel) is { } known)
            {
                return known;
            }
        }

        return ContactChannel.Call;
    }

    /// <summary>The contact a stated channel calls for, or null for a channel Ensemble does not know.</summary>
    public static ContactChannel? From(string channel) => channel.Trim().ToLowerInvariant() switch
    {
        "phone" or "call" => ContactChannel.Call,
        "email" => ContactChannel.Email,
        "letter" or "mail" or "post" or "card" => ContactChannel.Card,
        "portal" => ContactChannel.Portal,
        "sms" or "text" => ContactChannel.Sms,
        _ => null,
    };

    /// <summary>Lower-case words for a sentence: "a call", "a handwritten card".</summary>
    public static string Describe(ContactChannel channel) => channel switch
    {
        ContactChannel.Call => "a call",
        ContactChannel.Email => "a personal email",
        ContactChannel.Card => "a handwritten card",
        ContactChannel.Portal => "a message in the client portal",
        _ => "a text message",
    };

    /// <summary>The channel as written in reports, the CLI and the API: call, email, card, portal, sms.</summary>
    public static string Text(ContactChannel channel) => channel.ToString().ToLowerInvariant();
}
