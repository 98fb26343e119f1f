namespace Ensemble.Advisory.FollowUp;

/// <summary>The words people, the CLI and the API use for channels, quadrants and actions.</summary>
public static class FollowUpWords
{
    public const string ChannelChoices = "email, sms, letter, phone-call, meeting-agenda, portal-nudge, newsletter or internal-review";

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

    public static FollowUpChannel? ParseChannel(string? text)
    {
        var word = text?.Trim().Replace(" ", "-", StringComparison.Ordinal).Replace("_", "-", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var channel in Enum.GetValues<FollowUpChannel>())
        {
            if (word == Key(channel) || word == channel.ToString().ToLowerInvariant())
            {
                return channel;
            }
        }

        return null;
    }

    public static string Name(Quadrant quadrant) => quadrant switch
    {
        Quadrant.UrgentAdvice => "Urgent, advice needed",
        Quadrant.UrgentService => "Urgent, little advice needed",
        Quadrant.PlannedAdvice => "Not urgent, advice needed",
        _ => "Not urgent, self-service",
    };

    public static string Name(FollowUpAction action) => action == FollowUpAction.AdvisorMeeting ? "Meeting with the advisor" : "Self-service";
}
