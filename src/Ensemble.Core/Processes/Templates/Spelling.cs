namespace Ensemble.Processes.Templates;

/// <summary>Finds the known name a mistyped one was probably meant to be, for "did you mean" hints.</summary>
internal static class Spelling
{
    /// <summary>The closest candidate within a few edits, or null when nothing is close enough to be a useful hint.</summary>
    public static string? Nearest(string input, IEnumerable<string> candidates)
    {
        var allowed = input.Length <= 4 ? 1 : input.Length <= 8 ? 2 : 3;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // Lengths far apart cannot be within the allowed distance; skipping them keeps big templates fast.
            if (Math.Abs(candidate.Length - input.Length) > allowed)
            {
                continue;
            }

            var distance = Distance(input, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>" Did you mean "x"?" or an empty string, ready to append to a sentence.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Nearest(input, candidates) is { } near ? $"; did you mean \"{near}\"?" : "";

    /// <summary>Edit distance counting a swap of two neighbours as one edit ("titel" → "title"), case-insensitive.</summary>
    internal static int Distance(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1
                    && char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 2])
                    && char.ToLowerInvariant(a[i - 2]) == char.ToLowerInvariant(b[j - 1]))
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }
}
