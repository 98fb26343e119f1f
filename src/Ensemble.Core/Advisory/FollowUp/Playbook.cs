using Ensemble.Practice;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// How a quadrant's alerts are followed up: the channels to try in order (the first the household accepts
/// wins), what is asked of the client, and which role makes the call when the channel is a phone call.
/// </summary>
public sealed record Playbook(Quadrant Quadrant, IReadOnlyList<FollowUpChannel> Channels, FollowUpAction Action, string CallerRole)
{
    /// <summary>The playbooks of seed 003: push when urgent, passive when not; self-service when little advice is needed, the advisor when much is.</summary>
    public static IReadOnlyList<Playbook> Defaults { get; } =
    [
        new(Quadrant.UrgentAdvice, [FollowUpChannel.PhoneCall], FollowUpAction.AdvisorMeeting, RoleKeys.WealthPartner),
        new(Quadrant.UrgentService, [FollowUpChannel.Email, FollowUpChannel.Sms, FollowUpChannel.Letter, FollowUpChannel.PhoneCall], FollowUpAction.SelfService, RoleKeys.ClientServiceAssociate),
        new(Quadrant.PlannedAdvice, [FollowUpChannel.MeetingAgenda, FollowUpChannel.PortalNudge, FollowUpChannel.Letter], FollowUpAction.AdvisorMeeting, RoleKeys.WealthPartner),
        new(Quadrant.SelfService, [FollowUpChannel.PortalNudge, FollowUpChannel.Newsletter, FollowUpChannel.MeetingAgenda], FollowUpAction.SelfService, RoleKeys.ClientServiceAssociate),
    ];

    /// <summary>Problems with a set of playbooks, each naming the quadrant; empty when every quadrant has a usable playbook.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<Playbook> playbooks, IEnumerable<string> roles)
    {
        var problems = new List<string>();
        var known = roles.ToHashSet(StringComparer.Ordinal);
        foreach (var quadrant in Enum.GetValues<Quadrant>())
        {
            var matching = playbooks.Where(p => p.Quadrant == quadrant).ToList();
            if (matching.Count != 1)
            {
                problems.Add($"playbooks.{quadrant}: {(matching.Count == 0 ? "no playbook" : "more than one playbook")} for this quadrant; give exactly one");
                continue;
            }

            var playbook = matching[0];
            if (playbook.Channels.Count == 0)
            {
                problems.Add($"playbooks.{quadrant}.channels: name at least one channel");
            }

            if (playbook.Channels.Contains(FollowUpChannel.InternalReview))
            {
                problems.Add($"playbooks.{quadrant}.channels: internal review is used for do-not-contact households only");
            }

            if (!known.Contains(playbook.CallerRole))
            {
                problems.Add($"playbooks.{quadrant}.callerRole: '{playbook.CallerRole}' is not a role of the firm");
            }
        }

        return problems;
    }
}
