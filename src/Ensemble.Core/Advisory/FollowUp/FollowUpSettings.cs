namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// What the firm sets about following alerts up: the noise budget (follow-up tasks one person gets a day; the rest go
/// to their digest) and the windows the optimisation report measures in.
/// </summary>
/// <param name="TasksPerPersonPerDay">Follow-up tasks a person receives a day before the rest go to their digest (0: every one to the digest).</param>
/// <param name="ResponseDays">An alert counts as responded to when a person acted on it within this many days of its raising.</param>
/// <param name="ReopenDays">A resolved alert counts as re-opened when the same rule fires for the household again within this many days.</param>
public sealed record FollowUpSettings(int TasksPerPersonPerDay = NoiseBudget.DefaultPerPersonPerDay, int ResponseDays = 14, int ReopenDays = 90)
{
    public const int MaxTasksPerPersonPerDay = 100;

    public static FollowUpSettings Default { get; } = new();

    /// <summary>Problems, each naming its field; empty when the settings can be used.</summary>
    public IReadOnlyList<(string Field, string Message)> Check()
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

        return problems;
    }
}
