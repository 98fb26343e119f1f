using Ensemble.Practice;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// A quadrant's playbook as people write it — in the settings document, the API, the Follow-ups page and the CLI:
/// channel words in the order to try them ("email", "letter", "phone-call"), the action word ("self-service",
/// "advisor-meeting") and the caller role's key. A part left out (null) keeps its value when applied.
/// </summary>
public sealed record PlaybookWords(IReadOnlyList<string>? Channels = null, string? Action = null, string? CallerRole = null)
{
    public static PlaybookWords Of(Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(playbook);
        return new([.. playbook.Channels.Select(FollowUpWords.Key)], FollowUpWords.Key(playbook.Action), playbook.CallerRole);
    }

    /// <summary>The playbooks in words, keyed by quadrant word, in the canvas's order.</summary>
    public static IReadOnlyDictionary<string, PlaybookWords> Describe(IReadOnlyList<Playbook> playbooks) =>
        playbooks.OrderBy(p => p.Quadrant).ToDictionary(p => FollowUpWords.Key(p.Quadrant), Of, StringComparer.Ordinal);

    /// <summary>Channel words from a list typed as text: "email, letter, phone-call".</summary>
    public static IReadOnlyList<string> SplitChannels(string? text) =>
        (text ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Applies changes written in words onto <paramref name="current"/>: each named quadrant's given parts replace its
    /// own, a quadrant given as null returns to its <see cref="Playbook.Defaults">default</see>, quadrants not named keep
    /// theirs. Words that mean nothing are problems naming the field and listing the choices; the quadrant then keeps
    /// that part. Whether the result is usable is <see cref="Playbook.Problems"/>'s to say.
    /// </summary>
    public static (IReadOnlyList<Playbook> Playbooks, IReadOnlyList<(string Field, string Message)> Problems) Apply(
        IReadOnlyList<Playbook> current, IReadOnlyDictionary<string, PlaybookWords?>? changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        var playbooks = current.ToList();
        var problems = new List<(string, string)>();
        var seen = new HashSet<Quadrant>();
        foreach (var (key, words) in changes ?? new Dictionary<string, PlaybookWords?>())
        {
            if (FollowUpWords.ParseQuadrant(key) is not { } quadrant)
            {
                problems.Add(($"playbooks.{key}", $"'{key}' is not a quadrant; use {FollowUpWords.QuadrantChoices}"));
                continue;
            }

            var field = "playbooks." + FollowUpWords.Key(quadrant);
            if (!seen.Add(quadrant))
            {
                problems.Add((field, "this quadrant is given more than once; give it once"));
                continue;
            }

            var fallback = Playbook.Defaults.First(p => p.Quadrant == quadrant);
            var index = playbooks.FindIndex(p => p.Quadrant == quadrant);
            var was = index >= 0 ? playbooks[index] : fallback;
            var changed = words is null ? fallback : Change(was, words, field, problems);
            if (index >= 0)
            {
                playbooks[index] = changed;
            }
            else
            {
                playbooks.Add(changed);
            }
        }

        return (playbooks, problems);
    }

    private static Playbook Change(Playbook was, PlaybookWords words, string field, List<(string, string)> problems)
    {
        var changed = was;
        if (words.Channels is not null)
        {
            var channels = new List<FollowUpChannel>();
            foreach (var word in words.Channels)
            {
                if (FollowUpWords.ParseChannel(word) is { } channel)
                {
                    channels.Add(channel);
                }
                else
                {
                    problems.Add((field + ".channels", $"'{word}' is not a channel; use {FollowUpWords.PlaybookChannelChoices}"));
                }
            }

            if (channels.Count == words.Channels.Count)
            {
                changed = changed with { Channels = channels };
            }
        }

        if (words.Action is not null)
        {
            if (FollowUpWords.ParseAction(words.Action) is { } action)
            {
                changed = changed with { Action = action };
            }
            else
            {
                problems.Add((field + ".action", $"'{words.Action}' is not an action; use {FollowUpWords.ActionChoices}"));
            }
        }

        if (words.CallerRole is not null)
        {
            // Keys are lower-case words joined by hyphens; "Client service associate" means the same role.
            changed = changed with { CallerRole = RoleKeys.Normalize(words.CallerRole) };
        }

        return changed;
    }
}
