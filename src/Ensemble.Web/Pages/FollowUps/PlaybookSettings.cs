using Ensemble.Advisory.FollowUp;
using Ensemble.Storage;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>One quadrant's playbook as the settings form posts it: the channels typed as "email, letter, phone-call", the action and the caller role.</summary>
public sealed class PlaybookRow
{
    public string Quadrant { get; set; } = "";

    public string? Channels { get; set; }

    public string? Action { get; set; }

    public string? CallerRole { get; set; }

    public static PlaybookRow Of(Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        return new()
        {
            Quadrant = FollowUpWords.Key(playbook.Quadrant),
            Channels = string.Join(", ", playbook.Channels.Select(FollowUpWords.Key)),
            Action = FollowUpWords.Key(playbook.Action),
            CallerRole = playbook.CallerRole,
        };
    }

    /// <summary>The posted rows as changes in words; the store's parser names any word that means nothing.</summary>
    public static Dictionary<string, PlaybookWords?> Changes(IEnumerable<PlaybookRow>? rows) =>
        (rows ?? []).Where(r => !string.IsNullOrWhiteSpace(r.Quadrant))
            .GroupBy(r => r.Quadrant, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (PlaybookWords?)new PlaybookWords(PlaybookWords.SplitChannels(g.Last().Channels), g.Last().Action ?? "", g.Last().CallerRole ?? ""), StringComparer.Ordinal);
}

/// <summary>
/// The playbooks part of the Follow-ups settings: each quadrant's playbook (as in force, or as typed when an edit was
/// refused), its default beside it, the firm's roles to choose the caller from, and what is wrong, by field.
/// </summary>
public sealed record PlaybookSettings(
    FollowUpSettings InForce, IReadOnlyList<PlaybookRow> Rows, IReadOnlyList<(string Key, string Name)> Roles, IReadOnlyList<(string Field, string Message)> Problems, bool CanEdit)
{
    public static async Task<PlaybookSettings> LoadAsync(
        EnsembleDb db, FollowUpSettings settings, bool canEdit, IReadOnlyList<PlaybookRow>? typed = null, IReadOnlyList<(string Field, string Message)>? problems = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        var roles = (await db.Roles.AsNoTracking().OrderBy(r => r.Name).Select(r => new { r.Key, r.Name }).ToListAsync(cancellationToken)).Select(r => (r.Key, r.Name)).ToList();
        var rows = settings.Playbooks.OrderBy(p => p.Quadrant)
            .Select(p => typed?.LastOrDefault(r => FollowUpWords.ParseQuadrant(r.Quadrant) == p.Quadrant) ?? PlaybookRow.Of(p))
            .ToList();
        return new PlaybookSettings(settings, rows, roles, problems ?? [], canEdit);
    }

    public static IEnumerable<FollowUpAction> Actions => Enum.GetValues<FollowUpAction>();

    public IEnumerable<string> ProblemsFor(string field) => Problems.Where(p => p.Field == field).Select(p => p.Message);

    /// <summary>Problems that belong to no input on the form (a quadrant given twice, a save that conflicted), shown above it.</summary>
    public IEnumerable<(string Field, string Message)> Unplaced =>
        Problems.Where(p => !Rows.Any(r => p.Field.StartsWith($"playbooks.{r.Quadrant}.", StringComparison.Ordinal)));

    /// <summary>Field names as the store reports them, e.g. <c>playbooks.urgent-service.channels</c>.</summary>
    public static string Field(string quadrant, string part) => $"playbooks.{quadrant}.{part}";

    public string RoleName(string key) => Roles.FirstOrDefault(r => r.Key == key).Name ?? key;

    public static string Quadrant(string key) => FollowUpWords.ParseQuadrant(key) is { } q ? FollowUpWords.Name(q) : key;

    /// <summary>One line for a playbook: the channels in order, what is asked, and who calls.</summary>
    public string Describe(Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        return $"{string.Join(", then ", playbook.Channels.Select(FollowUpWords.Name))} · {FollowUpWords.Name(playbook.Action)} · calls by the {RoleName(playbook.CallerRole).ToLowerInvariant()}";
    }

    public Playbook InForceFor(string quadrant) => InForce.Playbooks.First(p => FollowUpWords.Key(p.Quadrant) == quadrant);

    public static Playbook DefaultFor(string quadrant) => Playbook.Defaults.First(p => FollowUpWords.Key(p.Quadrant) == quadrant);

    public bool AreDefaults => InForce.Playbooks.All(p => DefaultFor(FollowUpWords.Key(p.Quadrant)) is var d && d.Action == p.Action && d.CallerRole == p.CallerRole && d.Channels.SequenceEqual(p.Channels));
}
