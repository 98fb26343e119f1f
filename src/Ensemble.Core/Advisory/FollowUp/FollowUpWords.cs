namespace Ensemble.Advisory.FollowUp;

/// <summary>The words people, the CLI and the API use for channels, quadrants and actions.</summary>
public static class FollowUpWords
{
    public const string ChannelChoices = "email, sms, letter, phone-call, meeting-agenda, portal-nudge, newsletter or internal-review";

    /// <summary>The channels a playbook may list: internal review is kept for do-not-contact households.</summary>
    public const string PlaybookChannelChoices = "email, sms, letter, phone-call, meeting-agenda, portal-nudge or newsletter";

    public const string QuadrantChoices = "urgent-advice, urgent-service, planned-advice or self-service";

    public const string ActionChoices = "self-service or advisor-meeting";

    public static string Key(FollowUpChannel channel) => channel switch
    {
        FollowUpChannel.PhoneCall => "phone-call",
        FollowUpChannel.MeetingAgenda => "meeting-agenda",
        FollowUpChannel.PortalNudge => "portal-nudge",
        FollowUpChannel.InternalReview => "internal-review",
        _ => channel.ToString().ToLowerInvariant(),
    };

    public static string Name(FollowUpChannel channel) => channel switch
    {
        FollowUpChannel.Email => "Email",
        FollowUpChannel.Sms => "Text message",
        FollowUpChannel.Letter => "Letter",
        FollowUpChannel.PhoneCall => "Phone call",
        FollowUpChannel.MeetingAgenda => "Next meeting's agenda",
        FollowUpChannel.PortalNudge => "Portal nudge",
        FollowUpChannel.Newsletter => "Newsletter",
        _ => "Internal file review",
    };

    public static FollowUpChannel? ParseChannel(string? text) => Parse<FollowUpChannel>(text, Key);

    /// <summary>The quadrant's word, as settings documents, the API and the CLI write it.</summary>
    public static string Key(Quadrant quadrant) => quadrant switch
    {
        Quadrant.UrgentAdvice => "urgent-advice",
        Quadrant.UrgentService => "urgent-service",
        Quadrant.PlannedAdvice => "planned-advice",
        _ => "self-service",
    };

    public static Quadrant? ParseQuadrant(string? text) => Parse<Quadrant>(text, Key);

    public static string Key(FollowUpAction action) => action == FollowUpAction.AdvisorMeeting ? "advisor-meeting" : "self-service";

    public static FollowUpAction? ParseAction(string? text) => Parse<FollowUpAction>(text, Key);

    public static string Name(Quadrant quadrant) => quadrant switch
    {
        Quadrant.UrgentAdvice => "Urgent, advice needed",
        Quadrant.UrgentService => "Urgent, little advice needed",
        Quadrant.PlannedAdvice => "Not urgent, advice needed",
        _ => "Not urgent, self-service",
    };

    public static string Name(FollowUpAction action) => action == FollowUpAction.AdvisorMeeting ? "Meeting with the advisor" : "Self-service";

    /// <summary>The value whose word, or enum name, the text is; null when it is none of them.</summary>
    private static T? Parse<T>(string? text, Func<T, string> key)
        where T : struct, Enum
    {
        var word = Word(text);
        foreach (var value in Enum.GetValues<T>())
        {
            if (word == key(value) || word == value.ToString().ToLowerInvariant())
            {
                return value;
            }
        }

        return null;
    }

    // People write "Phone call", "phone_call" or "PHONE-CALL"; all mean the same word.
    private static string? Word(string? text) =>
        text?.Trim().Replace(" ", "-", StringComparison.Ordinal).Replace("_", "-", StringComparison.Ordinal).ToLowerInvariant();
}
