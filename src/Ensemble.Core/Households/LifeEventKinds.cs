namespace Ensemble.Households;

/// <summary>
/// The written form of <see cref="LifeEventKind"/> used in conditions, the CLI and the API
/// (<c>new-job</c>, <c>new-grandchild</c>, <c>loss</c>…), and its reading back.
/// </summary>
public static class LifeEventKinds
{
    private static readonly Dictionary<string, LifeEventKind> ByText = Enum.GetValues<LifeEventKind>()
        .ToDictionary(Text, k => k, StringComparer.Ordinal);

    /// <summary>Every kind as written, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<LifeEventKind>().Select(Text).ToList();

    public static string Text(LifeEventKind kind) => kind switch
    {
        LifeEventKind.NewJob => "new-job",
        LifeEventKind.NewChild => "new-child",
        LifeEventKind.NewGrandchild => "new-grandchild",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads <c>new-job</c>, <c>New Job</c>, <c>new_job</c> or <c>NewJob</c>; false for anything else.</summary>
    public static bool TryParse(string? text, out LifeEventKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var normal = text.Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-');
        if (ByText.TryGetValue(normal, out kind))
        {
            return true;
        }

        // PascalCase as the enum is named (NewJob), e.g. from JSON written by another tool.
        return Enum.TryParse(text.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(text.Trim()[0]);
    }
}
