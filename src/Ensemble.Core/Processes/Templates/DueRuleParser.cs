using System.Globalization;

namespace Ensemble.Processes.Templates;

internal enum DueDirection
{
    Before,
    After,
    On,
}

/// <summary>A due rule as written, before its target is known to be the start, an anchor or a step.</summary>
internal sealed record DueRuleSyntax(int Count, bool BusinessDays, DueDirection Direction, string Target);

/// <summary>
/// Reads due rules: <c>N [business] day(s) before|after &lt;target&gt;</c>, <c>on &lt;target&gt;</c> and
/// <c>same day</c>. Parsing is separate from resolving because whether a word names an anchor or a step
/// is only known once the whole template has been read.
/// </summary>
internal static class DueRuleParser
{
    /// <summary>The reserved target meaning the day the instance started.</summary>
    public const string Start = "start";

    public const int MaxCount = 3650;

    private const string Forms =
        "\"3 business days after start\", \"2 business days after <step>\", \"7 days before <anchor>\", " +
        "\"1 business day after <anchor>\", \"on <anchor>\" or \"same day\"";

    public static DueRuleSyntax? Parse(string text, out string? error)
    {
        error = null;
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 2 && Is(words[0], "same") && Is(words[1], "day"))
        {
            return new DueRuleSyntax(0, true, DueDirection.On, Start);
        }

        if (words.Length == 2 && Is(words[0], "on"))
        {
            return new DueRuleSyntax(0, false, DueDirection.On, words[1]);
        }

        var business = words.Length == 5 && Is(words[1], "business");
        if ((words.Length == 4 || business) && IsDayWord(words[business ? 2 : 1]))
        {
            var direction = words[^2].ToLowerInvariant() switch
            {
                "before" => DueDirection.Before,
                "after" => DueDirection.After,
                _ => (DueDirection?)null,
            };
            if (direction is not null)
            {
                if (!int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxCount)
                {
                    error = $"due rule \"{text}\" must count a whole number of days from 0 to {MaxCount}, not \"{words[0]}\"";
                    return null;
                }

                return new DueRuleSyntax(count, business, direction.Value, words[^1]);
            }
        }

        error = $"due rule \"{text}\" is not understood; write it like {Forms}";
        return null;
    }

    /// <summary>Turns the syntax into a rule, or explains why the target cannot be used that way.</summary>
    public static DueRule? Resolve(
        DueRuleSyntax rule,
        string text,
        IReadOnlySet<string> anchors,
        Func<string, bool> isStep,
        Func<IEnumerable<string>> names,
        out string? error)
    {
        error = null;
        var (count, business, direction, target) = rule;
        if (target == Start)
        {
            return (direction, business) switch
            {
                (DueDirection.On, _) => new AfterStart(0, text),
                (DueDirection.After, true) => new AfterStart(count, text),
                (DueDirection.After, false) => Fail(out error, $"due rule \"{text}\" counts calendar days; count from the start in business days, e.g. \"{count} business days after start\""),
                _ => Fail(out error, $"due rule \"{text}\" falls before the process starts; use \"N business days after start\""),
            };
        }

        if (anchors.Contains(target))
        {
            return new RelativeToAnchor(target, direction == DueDirection.Before ? -count : count, business, text);
        }

        if (isStep(target))
        {
            return (direction, business) switch
            {
                (DueDirection.After, true) => new AfterStep(target, count, text),
                (DueDirection.After, false) => Fail(out error, $"due rule \"{text}\" counts calendar days after a step; steps count in business days, e.g. \"{count} business days after {target}\""),
                _ => Fail(out error, $"due rule \"{text}\" cannot fall before or on another step; write \"N business days after {target}\""),
            };
        }

        var hint = Spelling.Hint(target, names());
        return business && direction == DueDirection.After
            ? Fail(out error, $"due rule \"{text}\" refers to \"{target}\", which is neither a step of this template nor an anchor declared under anchors{hint}")
            : Fail(out error, $"due rule \"{text}\" uses anchor \"{target}\", which the template does not declare under anchors{hint}");
    }

    private static DueRule? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }

    private static bool Is(string word, string expected) => string.Equals(word, expected, StringComparison.OrdinalIgnoreCase);

    private static bool IsDayWord(string word) => Is(word, "day") || Is(word, "days");
}
