using System.Globalization;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage.Communications.Campaigns;

namespace Ensemble.Web.Pages.Campaigns;

/// <summary>
/// The campaign form as posted: the fields as typed, and what is wrong with each. Template problems carry their line
/// and column and are shown next to the subject or message they belong to.
/// </summary>
public sealed class CampaignForm
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public string? Subject { get; set; }

    public string? Body { get; set; }

    public List<string> Tiers { get; set; } = [];

    public List<string> Stages { get; set; } = [];

    /// <summary>Tags, separated by commas.</summary>
    public string? Tags { get; set; }

    /// <summary>Account types, separated by commas.</summary>
    public string? AccountTypes { get; set; }

    public string? SavedAudience { get; set; }

    /// <summary>A name to save the criteria under for reuse; the campaign then names that saved audience.</summary>
    public string? SaveAudienceAs { get; set; }

    public string? Deadline { get; set; }

    /// <summary>For a standing alert follow-up message: the advisory rule it answers.</summary>
    public string? AlertRule { get; set; }

    /// <summary>The version the form was read at; a save over a newer one is refused.</summary>
    public int? Version { get; set; }

    public IReadOnlyList<CampaignProblem> Problems { get; set; } = [];

    public IEnumerable<CampaignProblem> ProblemsFor(string field) => Problems.Where(p => p.Field == field);

    public bool Has(string field) => Problems.Any(p => p.Field == field);

    /// <summary>Whether the kind chosen is a standing alert follow-up message, whose form ignores the audience fields.</summary>
    public bool IsStanding => CampaignKinds.Parse(Kind) is { } kind && kind.IsStanding();

    // A standing message has no audience: the audience boxes left ticked on the form are not held against it.
    public CampaignInput Input() => IsStanding
        ? new(Name, Kind, Subject, Body, Deadline: Deadline, AlertRule: AlertRule)
        : new(Name, Kind, Subject, Body, Tiers, Split(Tags), Split(AccountTypes), Stages, string.IsNullOrWhiteSpace(SavedAudience) ? null : SavedAudience, Deadline, AlertRule);

    /// <summary>
    /// Saves the typed criteria under <see cref="SaveAudienceAs"/> when asked, and returns the input naming that saved
    /// audience; otherwise the input as typed. Problems with the name or the criteria are returned as the form's.
    /// </summary>
    public async Task<(CampaignInput Input, IReadOnlyList<CampaignProblem> Problems)> SaveAudienceAsync(SavedAudiences audiences, string actor, CancellationToken cancellationToken)
    {
        var input = Input();
        if (string.IsNullOrWhiteSpace(SaveAudienceAs) || IsStanding)
        {
            return (input, []);
        }

        if (input.SavedAudience is not null)
        {
            return (input, [new CampaignProblem("saveAudienceAs", "A saved audience is chosen already; clear it to save these criteria under a new name.")]);
        }

        var problems = SavedAudiences.Check(SaveAudienceAs, input.Tiers, input.Tags, input.AccountTypes, input.Stages, out _)
            .Select(p => p.Field == "name" ? p with { Field = "saveAudienceAs" } : p)
            .ToList();
        if (problems.Count > 0)
        {
            return (input, problems);
        }

        var saved = await audiences.SaveAsync(SaveAudienceAs, input.Tiers, input.Tags, input.AccountTypes, input.Stages, actor, cancellationToken);
        return saved.IsSuccess
            ? (input with { Tiers = null, Tags = null, AccountTypes = null, Stages = null, SavedAudience = saved.Value.Name }, [])
            : (input, [new CampaignProblem("saveAudienceAs", saved.Error!.Message)]);
    }

    public static CampaignForm Of(CampaignView c) => new()
    {
        Name = c.Name,
        Kind = c.Kind,
        Subject = c.Subject,
        Body = c.Body,
        Tiers = [.. c.Audience.Tiers],
        Stages = [.. c.Audience.Stages],
        Tags = string.Join(", ", c.Audience.Tags),
        AccountTypes = string.Join(", ", c.Audience.AccountTypes),
        Deadline = c.Deadline?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
        AlertRule = c.AlertRule,
        Version = c.Version,
        Problems = c.Problems,
    };

    /// <summary>A new campaign starts as a general message to clients, or as the standing message for the alert rule named.</summary>
    public static CampaignForm Blank(string? alertRule = null) => new()
    {
        Kind = alertRule is null ? CampaignKind.General.Key() : CampaignKind.AlertFollowUp.Key(),
        AlertRule = alertRule,
        Stages = ["client"],
        Body = "Dear {{ person.first_name | default: \"client\" }},\n\n\n\nWith best regards,\n{{ advisor.name | default: firm.name }}\n{{ firm.name }}",
    };

    private static List<string> Split(string? text) =>
        (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
