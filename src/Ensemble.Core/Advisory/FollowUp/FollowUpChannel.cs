namespace Ensemble.Advisory.FollowUp;

/// <summary>How an alert reaches the client or the team.</summary>
public enum FollowUpChannel
{
    /// <summary>A message to the client by email.</summary>
    Email,

    /// <summary>A text message to the client.</summary>
    Sms,

    /// <summary>A printed letter.</summary>
    Letter,

    /// <summary>A phone-call task for the back office or the advisor.</summary>
    PhoneCall,

    /// <summary>An item on the agenda of the household's next scheduled meeting.</summary>
    MeetingAgenda,

    /// <summary>A nudge in the client portal.</summary>
    PortalNudge,

    /// <summary>A paragraph in the next collective mailing or newsletter.</summary>
    Newsletter,

    /// <summary>Do-not-contact households: the advisor reviews the file without reaching out.</summary>
    InternalReview,
}

/// <summary>What the follow-up asks of the client or the team once the channel has carried it.</summary>
public enum FollowUpAction
{
    /// <summary>An automated or guided self-service route: the client confirms or updates it themselves.</summary>
    SelfService,

    /// <summary>A meeting with the advisor: on the next meeting's agenda, or a meeting process started for it.</summary>
    AdvisorMeeting,
}

public static class FollowUpChannels
{
    /// <summary>Channels that put a task on a person's list today; the noise budget caps these.</summary>
    public static bool IsStaffTask(this FollowUpChannel channel) => channel is FollowUpChannel.PhoneCall or FollowUpChannel.InternalReview;

    /// <summary>Channels that reach the client directly.</summary>
    public static bool ReachesClient(this FollowUpChannel channel) =>
        channel is FollowUpChannel.Email or FollowUpChannel.Sms or FollowUpChannel.Letter or FollowUpChannel.PhoneCall
            or FollowUpChannel.PortalNudge or FollowUpChannel.Newsletter;

    /// <summary>The household preference word (as stored on households) that allows a channel; null when no preference is needed.</summary>
    public static string? PreferenceWord(this FollowUpChannel channel) => channel switch
    {
        FollowUpChannel.Email => "email",
        FollowUpChannel.Sms => "sms",
        FollowUpChannel.Letter => "letter",
        FollowUpChannel.PortalNudge => "portal",
        _ => null,
    };
}
