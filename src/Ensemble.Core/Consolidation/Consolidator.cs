namespace Ensemble.Consolidation;

/// <summary>What one source holds for one fact of one household (instants as Unix milliseconds).</summary>
public readonly record struct SourceReading(string Source, double Value, long ArrivedAt, long VerifiedAt);

/// <summary>A person's resolution in force: a chosen source, or a value they stated (Source null) at a moment.</summary>
public readonly record struct PersonChoice(string? Source, double Value, long At, string By);

/// <summary>The consolidated value of one fact and whether its sources disagree.</summary>
/// <param name="Value">The value held, as a sheet number.</param>
/// <param name="Source">The winning source; null when a person stated the value.</param>
/// <param name="ArrivedAt">When the winning value arrived (Unix ms).</param>
/// <param name="VerifiedAt">When its source last vouched for it (Unix ms).</param>
/// <param name="ChosenBy">Set when a person's choice decided.</param>
/// <param name="Disagree">True when the sources hold different values (money within a cent and equal dates agree).</param>
public readonly record struct ConsolidatedFact(double Value, string? Source, long ArrivedAt, long VerifiedAt, string? ChosenBy, bool Disagree);

/// <summary>
/// Decides a fact's consolidated value from what its sources say, under the firm's rule for the fact.
/// Pure and allocation-free, since a large import decides hundreds of thousands of facts.
/// </summary>
public static class Consolidator
{
    /// <param name="kind">The fact's kind, which decides when two values agree.</param>
    /// <param name="rule">The firm's rule for the fact.</param>
    /// <param name="readings">What each source holds for the fact.</param>
    /// <param name="choice">A person's resolution still in force (it lapses when a source sends a new value; the caller drops it then).</param>
    public static ConsolidatedFact Decide(FactKind kind, FactRule rule, ReadOnlySpan<SourceReading> readings, PersonChoice? choice)
    {
        if (readings.IsEmpty && choice is not { Source: null })
        {
            throw new ArgumentException("A fact is consolidated from at least one source value.", nameof(readings));
        }

        var disagree = Disagree(kind, readings);
        if (choice is { } c)
        {
            if (c.Source is null)
            {
                return new ConsolidatedFact(c.Value, null, c.At, c.At, c.By, disagree);
            }

            foreach (var r in readings)
            {
                if (r.Source == c.Source)
                {
                    return new ConsolidatedFact(r.Value, r.Source, r.ArrivedAt, r.VerifiedAt, c.By, disagree);
                }
            }
        }

        var w = Winner(rule, readings);
        var winner = readings[w];
        return new ConsolidatedFact(winner.Value, winner.Source, winner.ArrivedAt, winner.VerifiedAt, null, disagree);
    }

    /// <summary>The index of the winning reading: the first listed source that has a value, else the most recently verified.</summary>
    public static int Winner(FactRule rule, ReadOnlySpan<SourceReading> readings)
    {
        foreach (var source in rule.Precedence)
        {
            for (var i = 0; i < readings.Length; i++)
            {
                if (readings[i].Source == source)
                {
                    return i;
                }
            }
        }

        var best = 0;
        for (var i = 1; i < readings.Length; i++)
        {
            if (MoreRecent(readings[i], readings[best]))
            {
                best = i;
            }
        }

        return best;
    }

    public static bool Disagree(FactKind kind, ReadOnlySpan<SourceReading> readings)
    {
        for (var i = 0; i < readings.Length; i++)
        {
            for (var j = i + 1; j < readings.Length; j++)
            {
                if (!FactValueText.Agree(kind, readings[i].Value, readings[j].Value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Latest verification wins; then the latest arrival; then the source key, so the answer never depends on read order.
    private static bool MoreRecent(SourceReading a, SourceReading b) =>
        a.VerifiedAt != b.VerifiedAt ? a.VerifiedAt > b.VerifiedAt
        : a.ArrivedAt != b.ArrivedAt ? a.ArrivedAt > b.ArrivedAt
        : string.CompareOrdinal(a.Source, b.Source) < 0;
}
