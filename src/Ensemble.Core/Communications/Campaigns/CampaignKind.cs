namespace Ensemble.Communications.Campaigns;

/// <summary>What a campaign is; its key is the <see cref="OutboxMessage.Kind"/> of every message it queues.</summary>
public enum CampaignKind
{
    /// <summary>Anything else the firm writes to many clients at once.</summary>
    General,

    /// <summary>Investment or market commentary.</summary>
    Commentary,

    /// <summary>News about the firm: people, offices, services, fees.</summary>
    Announcement,

    /// <summary>The yearly Form ADV brochure offer or delivery; its messages are tracked per household against a deadline.</summary>
    FormAdv,

    /// <summary>
    /// A standing message approved in advance for one advisory rule: while it is approved, each household whose alert of
    /// that rule is followed up by email, letter or portal gets it. It has no audience and is never sent as a whole.
    /// </summary>
    AlertFollowUp,
}

/// <summary>Campaign kinds as the API, the command line, forms and the outbox spell them.</summary>
public static class CampaignKinds
{
    public static IReadOnlyList<CampaignKind> All { get; } = [CampaignKind.General, CampaignKind.Commentary, CampaignKind.Announcement, CampaignKind.FormAdv, CampaignKind.AlertFollowUp];

    public static string Choices => string.Join(", ", All.Select(Key));

    /// <summary>Whether the kind is a standing message sent one household at a time by alert follow-ups, rather than to an audience.</summary>
    public static bool IsStanding(this CampaignKind kind) => kind == CampaignKind.AlertFollowUp;

    /// <summary>The key stored as the outbox message kind: general, commentary, announcement, form-adv.</summary>
    public static string Key(this CampaignKind kind) => kind switch
    {
        CampaignKind.General => "general",
        CampaignKind.Commentary => "commentary",
        CampaignKind.Announcement => "announcement",
        CampaignKind.FormAdv => "form-adv",
        CampaignKind.AlertFollowUp => "alert-follow-up",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Title(this CampaignKind kind) => kind switch
    {
        CampaignKind.General => "General",
        CampaignKind.Commentary => "Commentary",
        CampaignKind.Announcement => "Announcement",
        CampaignKind.FormAdv => "Form ADV",
        CampaignKind.AlertFollowUp => "Alert follow-up",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads a key (form-adv), a name (FormAdv) or a title (Form ADV); null when it is none of them.</summary>
    public static CampaignKind? Parse(string? text)
    {
        var key = (text ?? "").Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-');
        return key switch
        {
            "general" => CampaignKind.General,
            "commentary" => CampaignKind.Commentary,
            "announcement" => CampaignKind.Announcement,
            "form-adv" or "formadv" or "adv" => CampaignKind.FormAdv,
            "alert-follow-up" or "alertfollowup" or "follow-up" or "standing" => CampaignKind.AlertFollowUp,
            _ => null,
        };
    }
}
