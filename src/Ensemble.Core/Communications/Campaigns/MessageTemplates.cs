using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// Checks and parses message templates written in Liquid. A template is refused — with the field, line and column —
/// when it does not parse, names a merge field outside <see cref="MergeFields"/>, calls a filter that does not exist,
/// uses a tag that reaches outside the message, or uses the deadline of a campaign that has none.
/// </summary>
public static partial class MessageTemplates
{
    public const int SubjectLength = 300;
    public const int BodyLength = 50_000;

    /// <summary>Fluid's parser is immutable once built and safe to share.</summary>
    internal static readonly FluidParser Parser = new(new FluidParserOptions { AllowFunctions = false });

    /// <summary>Every problem in one template; empty when it may be submitted.</summary>
    public static IReadOnlyList<CampaignProblem> Check(string field, string? source, bool hasDeadline)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        var text = source ?? "";
        if (!Parser.TryParse(text, out var template, out var error))
        {
            return [ParseProblem(field, text, error)];
        }

        var problems = new List<CampaignProblem>();
        var references = TemplateReferences.Of(template);
        foreach (var path in references.Paths.Where(p => !references.Locals.Contains(p.Root)).Distinct(PathComparer.Instance))
        {
            if (Unknown(path) is { } message)
            {
                problems.Add(Placed(field, text, TemplatePlaces.PathPattern(path.Root, path.Members), message));
            }
            else if (path.Root == "deadline" && !hasDeadline)
            {
                problems.Add(Placed(field, text, TemplatePlaces.PathPattern("deadline", []), "The campaign has no deadline; set one to use {{ deadline }}."));
            }
        }

        foreach (var filter in references.Filters.Where(f => !RenderOptions.Options.Filters.TryGetValue(f, out _)).Order(StringComparer.Ordinal))
        {
            problems.Add(Placed(field, text, TemplatePlaces.FilterPattern(filter), $"There is no filter \"{filter}\"; Liquid's standard filters (upcase, default, date…) are available."));
        }

        foreach (var tag in references.ForbiddenTags.Order(StringComparer.Ordinal))
        {
            problems.Add(Placed(field, text, TemplatePlaces.TagPattern(tag), $"{{% {tag} %}} is not available in messages: a message is one template, complete in itself."));
        }

        return problems.OrderBy(p => p.Line ?? int.MaxValue).ThenBy(p => p.Column).ToList();
    }

    /// <summary>Parses a template that <see cref="Check"/> passed.</summary>
    internal static IFluidTemplate Parse(string source) =>
        Parser.TryParse(source, out var template, out var error) ? template : throw new ArgumentException($"The template does not parse: {error}", nameof(source));

    private static string? Unknown((string Root, IReadOnlyList<string> Members, bool Dynamic) path)
    {
        var written = string.Join('.', new[] { path.Root }.Concat(path.Members));
        if (MergeFields.Plain.Contains(path.Root))
        {
            return path.Members.Count == 0 && !path.Dynamic ? null : Suggest($"\"{written}\" is not a merge field: {path.Root} has no parts.", written);
        }

        if (MergeFields.Objects.TryGetValue(path.Root, out var members))
        {
            if (path.Dynamic)
            {
                return $"Name merge fields in full, e.g. {path.Root}.{members.First()}; computed names cannot be checked.";
            }

            return path.Members.Count == 1 && members.Contains(path.Members[0])
                ? null
                : Suggest($"Unknown merge field \"{written}\".", written);
        }

        return Suggest($"Unknown merge field \"{written}\".", written);
    }

    private static string Suggest(string message, string written)
    {
        var closest = MergeFields.All.Select(f => (f.Path, Distance: Distance(f.Path, written))).MinBy(c => c.Distance);
        var hint = closest.Distance <= Math.Max(2, written.Length / 3) ? $" Did you mean {closest.Path}?" : "";
        return $"{message}{hint} The fields are listed under \"Merge fields\" (ensemble campaigns fields).";
    }

    private static CampaignProblem Placed(string field, string source, Regex pattern, string message)
    {
        var places = TemplatePlaces.Find(source, pattern);
        return places.Count == 0 ? new(field, message) : new(field, message, places[0].Line, places[0].Column);
    }

    /// <summary>Fluid ends its messages with "at (line:column)" and a copy of the source line; the place is kept, the copy dropped.</summary>
    private static CampaignProblem ParseProblem(string field, string source, string error)
    {
        var first = error.Split('\n')[0].Trim();
        var at = ParsePlace().Match(first);
        if (!at.Success)
        {
            return new(field, $"The template does not parse: {first}");
        }

        var line = int.Parse(at.Groups["line"].Value, CultureInfo.InvariantCulture);
        var column = int.Parse(at.Groups["column"].Value, CultureInfo.InvariantCulture);
        var lineCount = source.Count(c => c == '\n') + 1;
        return new(field, first[..at.Index].Trim() + ".", Math.Clamp(line, 1, lineCount), Math.Max(1, column));
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"\s+at \((?<line>\d+):(?<column>\d+)\)\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ParsePlace();

    private sealed class PathComparer : IEqualityComparer<(string Root, IReadOnlyList<string> Members, bool Dynamic)>
    {
        public static readonly PathComparer Instance = new();

        public bool Equals((string Root, IReadOnlyList<string> Members, bool Dynamic) x, (string Root, IReadOnlyList<string> Members, bool Dynamic) y) =>
            x.Root == y.Root && x.Dynamic == y.Dynamic && x.Members.SequenceEqual(y.Members);

        public int GetHashCode((string Root, IReadOnlyList<string> Members, bool Dynamic) obj) =>
            HashCode.Combine(obj.Root, obj.Dynamic, string.Join('.', obj.Members));
    }
}
