using Ensemble.Common;

namespace Ensemble.Communications.Campaigns;

/// <summary>What choosing a recipient's channel and address needs to know about one household and its primary member.</summary>
public sealed record RecipientFacts(
    HouseholdId HouseholdId,
    string HouseholdKey,
    string HouseholdName,
    bool DoNotContact,
    IReadOnlyList<string> PreferredChannels,
    string? MailingAddress,
    string? PersonName,
    string? Email);

/// <summary>Why a recipient is left out or may not get the message as they prefer.</summary>
public enum RecipientIssueKind
{
    /// <summary>The household asked not to be contacted: always excluded, and counted.</summary>
    DoNotContact,

    /// <summary>The email address the message would go to is not a valid address: reported, never sent to.</summary>
    InvalidAddress,

    /// <summary>The template writes a merge field this recipient has no value for: held back until it is filled in or given a default.</summary>
    MissingMergeField,

    /// <summary>A preferred channel cannot be used (no email, no mailing address); the message goes by the next one.</summary>
    PreferredChannelUnusable,

    /// <summary>The rendered subject is longer than a message subject may be.</summary>
    SubjectTooLong,
}

/// <summary>One issue with one recipient; <see cref="Blocking"/> ones keep the message from being queued.</summary>
public sealed record RecipientIssue(RecipientIssueKind Kind, string Message)
{
    public bool Blocking => Kind is not RecipientIssueKind.PreferredChannelUnusable;
}

/// <summary>How one household will be reached: channel, name and address, or why it will not be.</summary>
public sealed record RecipientPlan(RecipientFacts Facts, DeliveryChannel? Channel, string RecipientName, string? Address, IReadOnlyList<RecipientIssue> Issues)
{
    public bool Deliverable => Channel is not null && Issues.All(i => !i.Blocking);

    public bool IsDoNotContact => Issues.Any(i => i.Kind == RecipientIssueKind.DoNotContact);
}

/// <summary>
/// Chooses each household's channel: the first of its preferred channels that is a delivery channel and usable (email
/// needs a valid address on the primary member, a letter needs a mailing address), falling back to email, then letter,
/// then the portal. An address that is there but invalid stops the choice: it is reported and nothing is sent, since a
/// typo should be corrected rather than silently worked around. Do-not-contact households are excluded.
/// </summary>
public static class RecipientPlanner
{
    private static readonly DeliveryChannel[] Fallback = [DeliveryChannel.Email, DeliveryChannel.Letter, DeliveryChannel.Portal];

    public static RecipientPlan Plan(RecipientFacts facts, Func<string, bool> isValidEmail)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(isValidEmail);
        var name = string.IsNullOrWhiteSpace(facts.PersonName) ? facts.HouseholdName : facts.PersonName.Trim();
        if (facts.DoNotContact)
        {
            return new(facts, null, name, null, [new(RecipientIssueKind.DoNotContact, "Do not contact: excluded.")]);
        }

        var issues = new List<RecipientIssue>();
        var preferred = facts.PreferredChannels.Select(DeliveryChannels.Parse).OfType<DeliveryChannel>().Distinct().ToList();
        foreach (var channel in preferred.Concat(Fallback.Except(preferred)))
        {
            var isPreferred = preferred.Contains(channel);
            switch (channel)
            {
                case DeliveryChannel.Email when string.IsNullOrWhiteSpace(facts.Email):
                    if (isPreferred)
                    {
                        issues.Add(new(RecipientIssueKind.PreferredChannelUnusable, "Prefers email but the primary member has no email address."));
                    }

                    continue;
                case DeliveryChannel.Email when !isValidEmail(facts.Email.Trim()):
                    issues.Add(new(RecipientIssueKind.InvalidAddress, $"\"{facts.Email.Trim()}\" is not a valid email address: not sent; correct it on the member."));
                    return new(facts, channel, name, facts.Email.Trim(), issues);
                case DeliveryChannel.Email:
                    return Chosen(channel, facts.Email.Trim());
                case DeliveryChannel.Letter when string.IsNullOrWhiteSpace(facts.MailingAddress):
                    if (isPreferred)
                    {
                        issues.Add(new(RecipientIssueKind.PreferredChannelUnusable, "Prefers letters but has no mailing address."));
                    }

                    continue;
                case DeliveryChannel.Letter:
                    return Chosen(channel, facts.MailingAddress.Trim());
                default:
                    return Chosen(DeliveryChannel.Portal, facts.HouseholdKey);
            }
        }

        return Chosen(DeliveryChannel.Portal, facts.HouseholdKey);

        RecipientPlan Chosen(DeliveryChannel channel, string address)
        {
            if (issues.Count > 0)
            {
                issues[^1] = issues[^1] with { Message = issues[^1].Message + $" Goes by {channel.Name()} instead." };
            }

            return new(facts, channel, name, address, issues);
        }
    }
}
