using Ensemble.Practice;

namespace Ensemble.Advisory.FollowUp;

/// <summary>What the planner needs to know about a household to choose a channel.</summary>
/// <param name="PreferredChannels">The household's channels in its order of preference (email, phone, letter, portal, sms).</param>
/// <param name="DoNotContact">True when the household must not be contacted at all.</param>
/// <param name="HasNextMeeting">True when a meeting with the household is scheduled ahead.</param>
public sealed record FollowUpHousehold(IReadOnlyList<string> PreferredChannels, bool DoNotContact, bool HasNextMeeting);

/// <summary>The decision for one alert: the channel, what is asked, who owns it if it is a task, and why.</summary>
public sealed record FollowUpPlan(Quadrant Quadrant, FollowUpChannel Channel, FollowUpAction Action, string? OwnerRole, string Reason)
{
    /// <summary>True when the follow-up is a task on a person's list today, which the noise budget caps.</summary>
    public bool IsStaffTask => Channel.IsStaffTask();
}

/// <summary>
/// Chooses how an alert is followed up from its place on the canvas and the quadrant's playbook, always
/// within what the household allows: do-not-contact turns every route into an internal review, and a
/// client channel is used only when the household has said it wants it (or, for a phone call, has a phone
/// preference or no stated preference at all). A channel the firm cannot use for this alert right now (no message
/// approved for it, no text-message gateway) is passed over, and the plan's reason says so.
/// </summary>
public static class FollowUpPlanner
{
    /// <param name="place">The alert type's place on the firm's canvas.</param>
    /// <param name="household">What the household allows.</param>
    /// <param name="playbooks">The firm's playbooks, one per quadrant.</param>
    /// <param name="unavailable">Why the firm cannot use a channel for this alert and action now, or null when it can; null: every channel can be used.</param>
    public static FollowUpPlan Decide(CanvasPlace place, FollowUpHousehold household, IReadOnlyList<Playbook> playbooks, Func<FollowUpChannel, FollowUpAction, string?>? unavailable = null)
    {
        ArgumentNullException.ThrowIfNull(household);
        var quadrant = place.Quadrant;
        var playbook = playbooks.First(p => p.Quadrant == quadrant);
        if (household.DoNotContact)
        {
            return new FollowUpPlan(quadrant, FollowUpChannel.InternalReview, playbook.Action, RoleKeys.WealthPartner,
                "the household asked not to be contacted, so the advisor reviews the file without reaching out");
        }

        var preferred = household.PreferredChannels;
        var passedOver = new List<string>();
        foreach (var channel in playbook.Channels)
        {
            if (!Allows(channel, household))
            {
                continue;
            }

            if (unavailable?.Invoke(channel, playbook.Action) is { } why)
            {
                passedOver.Add($"{FollowUpWords.Name(channel).ToLowerInvariant()}: {why}");
                continue;
            }

            var owner = channel == FollowUpChannel.PhoneCall ? playbook.CallerRole : null;
            return new FollowUpPlan(quadrant, channel, playbook.Action, owner, Why(channel, quadrant, preferred) + PassedOver(passedOver));
        }

        // None of the playbook's channels suits the household: the caller phones, which every client can receive.
        return new FollowUpPlan(quadrant, FollowUpChannel.PhoneCall, playbook.Action, playbook.CallerRole,
            $"none of the {Describe(quadrant)} channels suits the household's preferences, so the {Role(playbook.CallerRole)} calls" + PassedOver(passedOver));
    }

    private static string PassedOver(List<string> passedOver) => passedOver.Count == 0 ? "" : $" (passed over {string.Join("; ", passedOver)})";

    private static bool Allows(FollowUpChannel channel, FollowUpHousehold household) => channel switch
    {
        FollowUpChannel.MeetingAgenda => household.HasNextMeeting,
        FollowUpChannel.Newsletter => true,
        FollowUpChannel.PhoneCall => household.PreferredChannels.Count == 0 || household.PreferredChannels.Contains("phone"),
        _ => channel.PreferenceWord() is { } word && household.PreferredChannels.Contains(word),
    };

    private static string Why(FollowUpChannel channel, Quadrant quadrant, IReadOnlyList<string> preferred) => channel switch
    {
        FollowUpChannel.MeetingAgenda => $"{Describe(quadrant)}: added to the agenda of the next scheduled meeting",
        FollowUpChannel.Newsletter => $"{Describe(quadrant)}: included in the next collective mailing",
        FollowUpChannel.PhoneCall when preferred.Count == 0 => $"{Describe(quadrant)}: a call, as the household states no preferred channel",
        _ => $"{Describe(quadrant)}: by {channel.PreferenceWord() ?? "phone"}, a channel the household prefers",
    };

    private static string Describe(Quadrant quadrant) => quadrant switch
    {
        Quadrant.UrgentAdvice => "urgent and advice-sensitive",
        Quadrant.UrgentService => "urgent, little advice needed",
        Quadrant.PlannedAdvice => "not urgent, advice-sensitive",
        _ => "not urgent, little advice needed",
    };

    private static string Role(string role) => role.Replace('-', ' ');
}
