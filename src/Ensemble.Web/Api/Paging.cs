namespace Ensemble.Web.Api;

/// <summary>A page of a list: the items, where it starts, and whether more follow.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Offset, int Limit, bool More);

/// <summary>Reads and checks <c>limit</c> and <c>offset</c>.</summary>
internal static class Paging
{
    public const int MaxLimit = 500;

    public static IResult? Check(int? limit, int? offset, out int take, out int skip)
    {
        take = limit ?? 50;
        skip = offset ?? 0;
        var errors = new List<(string, string)>();
        if (take is < 1 or > MaxLimit)
        {
            errors.Add(("limit", $"limit must be between 1 and {MaxLimit}."));
        }

        if (skip < 0)
        {
            errors.Add(("offset", "offset cannot be negative."));
        }

        return errors.Count > 0 ? Problems.Invalid([.. errors]) : null;
    }

    /// <summary>Pages a list read with one extra item, which tells whether more follow.</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> readOneMore, int skip, int take) =>
        new(readOneMore.Take(take).ToList(), skip, take, readOneMore.Count > take);
}
