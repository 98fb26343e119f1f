using System.Text.Json.Serialization;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// What the firm sets about following alerts up: the noise budget (follow-up tasks one person gets a day; the rest go
/// to their digest), the windows the optimisation report measures in, and each quadrant's playbook.
/// </summary>
/// <param name="TasksPerPersonPerDay">Follow-up tasks a person receives a day before the rest go to their digest (0: every one to the digest).</param>
/// <param name="ResponseDays">An alert counts as responded to when a person acted on it within this many days of its raising.</param>
/// <param name="ReopenDays">A resolved alert counts as re-opened when the same rule fires for the household again within this many days.</param>
public sealed record FollowUpSettings(int TasksPerPersonPerDay = NoiseBudget.DefaultPerPersonPerDay, int ResponseDays = 14, int ReopenDays = 90)
{
    public const int MaxTasksPerPersonPerDay = 100;

    public static FollowUpSettings Default { get; } = new();

    /// <summary>How each quadrant's alerts are followed up; settings saved before playbooks were editable read as <see cref="Playbook.Defaults"/>.</summary>
    [JsonConverter(typeof(PlaybooksJson))]
    public IReadOnlyList<Playbook> Playbooks { get; init; } = Playbook.Defaults;

    /// <summary>
    /// Problems, each naming its field; empty when the settings can be used. Playbook caller roles are checked against
    /// <paramref name="roles"/> (the firm's role keys) when given — the store gives them at save time.
    /// </summary>
    public IReadOnlyList<(string Field, string Message)> Check(IEnumerable<string>? roles = null)
    {
        var problems = new List<(string, string)>();
        if (TasksPerPersonPerDay is < 0 or > MaxTasksPerPersonPerDay)
        {
            problems.Add(("tasksPerPersonPerDay", $"a whole number from 0 to {MaxTasksPerPersonPerDay}, not {TasksPerPersonPerDay}."));
        }

        if (ResponseDays is < 1 or > 365)
        {
            problems.Add(("responseDays", $"a whole number of days from 1 to 365, not {ResponseDays}."));
        }

        if (ReopenDays is < 1 or > 730)
        {
            problems.Add(("reopenDays", $"a whole number of days from 1 to 730, not {ReopenDays}."));
        }

        problems.AddRange(Playbook.Problems(Playbooks, roles));
        return problems;
    }
}
