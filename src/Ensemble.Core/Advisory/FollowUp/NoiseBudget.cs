namespace Ensemble.Advisory.FollowUp;

/// <summary>A follow-up task waiting for a person: the person, its rank on the canvas, and what it is.</summary>
public readonly record struct PushCandidate<T>(long Person, double Rank, T Item);

/// <summary>
/// Caps the follow-up tasks one person receives a day (seed 004: alert overload is what makes advisors stop
/// reading alerts). The highest-ranked become tasks up to the cap, counting what the person already got
/// today; the rest go into that person's daily digest, ranked.
/// </summary>
public static class NoiseBudget
{
    public const int DefaultPerPersonPerDay = 5;

    public static (List<T> Tasks, Dictionary<long, List<T>> Digest) Allocate<T>(
        IEnumerable<PushCandidate<T>> candidates, IReadOnlyDictionary<long, int> alreadyToday, int perPersonPerDay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perPersonPerDay);
        var tasks = new List<T>();
        var digest = new Dictionary<long, List<T>>();
        foreach (var person in candidates.GroupBy(c => c.Person))
        {
            var left = Math.Max(0, perPersonPerDay - alreadyToday.GetValueOrDefault(person.Key));
            foreach (var candidate in person.OrderByDescending(c => c.Rank))
            {
                if (left > 0)
                {
                    tasks.Add(candidate.Item);
                    left--;
                }
                else
                {
                    (digest.TryGetValue(person.Key, out var list) ? list : digest[person.Key] = []).Add(candidate.Item);
                }
            }
        }

        return (tasks, digest);
    }
}
