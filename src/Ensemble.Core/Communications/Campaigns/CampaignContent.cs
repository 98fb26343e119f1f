using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// A campaign as written, checked field by field: its name, kind, subject and body templates, audience (and the saved
/// audience it was taken from, if any) and deadline; for a standing alert follow-up message, the advisory rule it
/// answers instead of an audience. The templates themselves are checked separately, since a draft may be saved
/// half-written.
/// </summary>
public sealed record CampaignContent(
    string Name, CampaignKind Kind, string Subject, string Body, AudienceFilter Audience, string? AudienceName, LocalDate? Deadline, string? AlertRule = null)
{
    /// <summary>
    /// The fingerprint of what is sent and to whom (not the name, which only the firm sees): an approval records it, and
    /// a send refuses content whose fingerprint is not the one approved.
    /// </summary>
    public string Hash()
    {
        var text = string.Join('\u001f', Kind.Key(), Subject, Body, Audience.Canonical(), Deadline?.ToString("uuuu-MM-dd", null) ?? "");

        // Only standing messages name a rule; leaving it out otherwise keeps the fingerprints of earlier approvals.
        if (AlertRule is not null)
        {
            text += '\u001f' + AlertRule;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Whether <paramref name="other"/> sends something else, or to someone else.</summary>
    public bool MessageDiffers(CampaignContent other) => Hash() != other.Hash();
}

/// <summary>
/// A campaign as typed into a form, the API or the command line. <see cref="Read"/> checks every field at once and names
/// each one at fault. Give either audience criteria or the name of a saved audience, whose criteria are copied in; a
/// standing alert follow-up message names its advisory rule instead and has no audience.
/// </summary>
public sealed record CampaignInput(
    string? Name,
    string? Kind,
    string? Subject,
    string? Body,
    IReadOnlyList<string>? Tiers = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? AccountTypes = null,
    IReadOnlyList<string>? Stages = null,
    string? SavedAudience = null,
    string? Deadline = null,
    string? AlertRule = null)
{
    public const int AlertRuleLength = 100;

    public const int NameLength = 200;

    public bool HasCriteria => new[] { Tiers, Tags, AccountTypes, Stages }.Any(l => l is not null && l.Any(v => !string.IsNullOrWhiteSpace(v)));

    /// <param name="saved">The saved audience named by <see cref="SavedAudience"/>, looked up by the caller; null when there is none by that name.</param>
    /// <param name="rules">The keys of the firm's advisory rules, which a standing message must name one of; null to skip that check.</param>
    public (CampaignContent? Content, IReadOnlyList<CampaignProblem> Problems) Read(SavedAudience? saved, IReadOnlyCollection<string>? rules = null)
    {
        var problems = new List<CampaignProblem>();
        var name = (Name ?? "").Trim();
        if (name.Length == 0)
        {
            problems.Add(new("name", "Give the campaign a name the firm will know it by, e.g. \"Form ADV 2027\"."));
        }
        else if (name.Length > NameLength)
        {
            problems.Add(new("name", $"A name can be at most {NameLength} characters (this one has {name.Length})."));
        }

        var kind = CampaignKinds.Parse(Kind);
        if (kind is null)
        {
            problems.Add(new("kind", string.IsNullOrWhiteSpace(Kind)
                ? $"Say what kind of campaign it is: {CampaignKinds.Choices}."
                : $"\"{Kind}\" is not a kind of campaign; use {CampaignKinds.Choices}."));
        }

        var subject = Lines(Subject).Trim();
        if (subject.Length == 0)
        {
            problems.Add(new("subject", "Write a subject; it may use merge fields, e.g. Your Form ADV, {{ person.first_name }}."));
        }
        else if (subject.Length > MessageTemplates.SubjectLength)
        {
            problems.Add(new("subject", $"A subject can be at most {MessageTemplates.SubjectLength} characters (this one has {subject.Length})."));
        }

        var body = Lines(Body).TrimEnd();
        if (body.Trim().Length == 0)
        {
            problems.Add(new("body", "Write the message."));
        }
        else if (body.Length > MessageTemplates.BodyLength)
        {
            problems.Add(new("body", $"A message can be at most {MessageTemplates.BodyLength:#,0} characters (this one has {body.Length:#,0})."));
        }

        LocalDate? deadline = null;
        if (!string.IsNullOrWhiteSpace(Deadline))
        {
            var parsed = LocalDatePattern.Iso.Parse(Deadline.Trim());
            if (parsed.Success)
            {
                deadline = parsed.Value;
            }
            else
            {
                problems.Add(new("deadline", $"\"{Deadline}\" is not a date; write it as yyyy-MM-dd."));
            }
        }
        else if (kind == CampaignKind.FormAdv)
        {
            problems.Add(new("deadline", "A Form ADV campaign needs the deadline its delivery must meet (yyyy-MM-dd)."));
        }

        if (kind is { } standing && standing.IsStanding())
        {
            var rule = ReadRule(rules, problems);
            if (deadline is not null)
            {
                problems.Add(new("deadline", "A standing alert follow-up message has no deadline: it goes out whenever an alert of its rule is followed up."));
            }

            if (HasCriteria || !string.IsNullOrWhiteSpace(SavedAudience))
            {
                problems.Add(new("audience", "A standing alert follow-up message has no audience: it goes to each household whose alert of its rule is followed up by email, letter or portal."));
            }

            return problems.Count > 0 ? (null, problems) : (new CampaignContent(name, standing, subject, body, AudienceFilter.Empty, null, null, rule), problems);
        }

        if (!string.IsNullOrWhiteSpace(AlertRule))
        {
            problems.Add(new("alertRule", $"Only a standing alert follow-up message (kind {CampaignKind.AlertFollowUp.Key()}) names an advisory rule."));
        }

        var (audience, audienceName) = ReadAudience(saved, problems);
        return problems.Count > 0
            ? (null, problems)
            : (new CampaignContent(name, kind!.Value, subject, body, audience, audienceName, deadline), problems);
    }

    private string? ReadRule(IReadOnlyCollection<string>? rules, List<CampaignProblem> problems)
    {
        var rule = (AlertRule ?? "").Trim();
        if (rule.Length == 0)
        {
            problems.Add(new("alertRule", "Name the advisory rule whose alerts this message follows up, e.g. excess-cash."));
            return null;
        }

        if (rule.Length > AlertRuleLength || (rules is not null && !rules.Contains(rule)))
        {
            problems.Add(new("alertRule", $"\"{rule}\" is not a rule of the firm's advisory framework; the advisory page lists them."));
            return null;
        }

        return rule;
    }

    private (AudienceFilter Audience, string? Name) ReadAudience(SavedAudience? saved, List<CampaignProblem> problems)
    {
        if (!string.IsNullOrWhiteSpace(SavedAudience))
        {
            if (HasCriteria)
            {
                problems.Add(new("savedAudience", "Choose either a saved audience or tiers, tags, account types and stages, not both."));
            }
            else if (saved is null)
            {
                problems.Add(new("savedAudience", $"There is no saved audience \"{SavedAudience.Trim()}\"."));
            }

            return (saved?.Filter ?? AudienceFilter.Empty, saved?.Name);
        }

        var (filter, found) = AudienceFilter.Read(Tiers, Tags, AccountTypes, Stages);
        problems.AddRange(found);
        if (found.Count == 0 && filter.IsEmpty)
        {
            problems.Add(new("audience", "Choose who it goes to: tiers, tags, account types, lifecycle stages or a saved audience."));
        }

        return (filter, null);
    }

    private static string Lines(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
