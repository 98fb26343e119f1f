using System.Text.RegularExpressions;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// Finds where in a template's text something written inside Liquid markup ({{ … }} or {% … %}) sits, as line and
/// column. Fluid's syntax tree does not keep positions, so a problem found in the tree is placed by searching the text.
/// </summary>
internal static partial class TemplatePlaces
{
    /// <summary>The 1-based line and column of every match of <paramref name="pattern"/> inside markup, in order.</summary>
    public static IReadOnlyList<(int Line, int Column)> Find(string source, Regex pattern)
    {
        var places = new List<(int, int)>();
        foreach (Match markup in Markup().Matches(source))
        {
            foreach (Match found in pattern.Matches(markup.Value))
            {
                places.Add(LineAndColumn(source, markup.Index + found.Index));
            }
        }

        return places;
    }

    /// <summary>A variable path as written, allowing spaces around the dots: household.nme, household . nme.</summary>
    public static Regex PathPattern(string root, IReadOnlyList<string> members) =>
        new(@"(?<![\w.""'])" + string.Join(@"\s*\.\s*", new[] { root }.Concat(members).Select(Regex.Escape)) + @"(?![\w-])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static Regex FilterPattern(string name) => new(@"\|\s*" + Regex.Escape(name) + @"(?![\w-])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static Regex TagPattern(string name) => new(@"^\{%-?\s*" + Regex.Escape(name) + @"\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static (int Line, int Column) LineAndColumn(string source, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Markup();
}
