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

    /// <summary>Problems with a set of playbooks as "field: message", each naming the quadrant; empty when every quadrant has a usable playbook.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<Playbook> playbooks, IEnumerable<string> roles) =>
        Problems(playbooks, roles).Select(p => $"{p.Field}: {p.Message}").ToList();

    /// <summary>
    /// Problems with a set of playbooks, each naming its field (<c>playbooks.urgent-service.channels</c>). The caller
    /// role is checked against <paramref name="roles"/> when given (the firm's roles at save time); without them only
    /// that a role is named.
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(IReadOnlyList<Playbook> playbooks, IEnumerable<string>? roles)
    {
        ArgumentNullException.ThrowIfNull(playbooks);
        var problems = new List<(string, string)>();
        var known = roles?.ToHashSet(StringComparer.Ordinal);
        foreach (var quadrant in Enum.GetValues<Quadrant>())
        {
            var field = "playbooks." + FollowUpWords.Key(quadrant);
            var matching = playbooks.Where(p => p.Quadrant == quadrant).ToList();
            if (matching.Count != 1)
            {
                problems.Add((field, $"{(matching.Count == 0 ? "no playbook" : "more than one playbook")} for this quadrant; give exactly one"));
                continue;
            }

            var playbook = matching[0];
            if (playbook.Channels.Count == 0)
            {
                problems.Add((field + ".channels", $"name at least one channel: {FollowUpWords.PlaybookChannelChoices}"));
            }

            if (playbook.Channels.Contains(FollowUpChannel.InternalReview))
            {
                problems.Add((field + ".channels", "internal review is used for do-not-contact households only"));
            }

            foreach (var twice in playbook.Channels.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                problems.Add((field + ".channels", $"'{FollowUpWords.Key(twice)}' is listed more than once; list each channel once, in the order to try them"));
            }

            if (string.IsNullOrWhiteSpace(playbook.CallerRole))
            {
                problems.Add((field + ".callerRole", "name the role that makes the calls"));
            }
            else if (known is not null && !known.Contains(playbook.CallerRole))
            {
                problems.Add((field + ".callerRole", $"'{playbook.CallerRole}' is not a role of the firm; use {string.Join(", ", known.Order(StringComparer.Ordinal))}"));
            }
        }

        return problems;
    }
}
