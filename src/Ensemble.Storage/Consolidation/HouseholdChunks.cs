using System.Globalization;
using System.Text;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Up to <see cref="HouseholdChunks.Size"/> households read together. Ids close together are read by range
/// (<c>BETWEEN lo AND hi</c>, one index seek); scattered ones by list, so a follow-up file touching every
/// fiftieth household does not drag in the forty-nine between.
/// </summary>
internal sealed class HouseholdChunk
{
    private readonly IReadOnlyList<long> _ids;

    public HouseholdChunk(IReadOnlyList<long> sortedIds, int start, int count)
    {
        _ids = sortedIds;
        Start = start;
        Count = count;
        Lo = sortedIds[start];
        Hi = sortedIds[start + count - 1];
        Dense = Hi - Lo + 1 <= 2L * count;
        Parameters = Dense
            ? [("@lo", Lo), ("@hi", Hi)]
            : Enumerable.Range(0, count).Select(i => ("@h" + i.ToString(CultureInfo.InvariantCulture), (object?)sortedIds[start + i])).ToArray();
    }

    public long Lo { get; }

    public long Hi { get; }

    /// <summary>Index of the chunk's first id in the sorted list it came from.</summary>
    public int Start { get; }

    public int Count { get; }

    public bool Dense { get; }

    public (string Name, object? Value)[] Parameters { get; }

    /// <summary>The chunk's households as a condition on <paramref name="column"/>, with <see cref="Parameters"/>.</summary>
    public string Filter(string column)
    {
        if (Dense)
        {
            return $"{column} BETWEEN @lo AND @hi";
        }

        var sql = new StringBuilder(column).Append(" IN (");
        for (var i = 0; i < Count; i++)
        {
            sql.Append(i == 0 ? "@h" : ", @h").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append(')').ToString();
    }

    public HashSet<long> Set()
    {
        var set = new HashSet<long>(Count);
        for (var i = Start; i < Start + Count; i++)
        {
            set.Add(_ids[i]);
        }

        return set;
    }
}

/// <summary>Splits sorted household ids into chunks.</summary>
internal static class HouseholdChunks
{
    public const int Size = 2000;

    public static IEnumerable<HouseholdChunk> Of(IReadOnlyList<long> sortedIds, int size = Size)
    {
        for (var start = 0; start < sortedIds.Count; start += size)
        {
            yield return new HouseholdChunk(sortedIds, start, Math.Min(size, sortedIds.Count - start));
        }
    }
}
