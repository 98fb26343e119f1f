using System.Text;
using Fluid;
using Fluid.Values;

namespace Ensemble.Communications.Campaigns;

/// <summary>One message rendered for one recipient, and the merge fields it would have written without a value.</summary>
public sealed record RenderedMessage(string Subject, string TextBody, string HtmlBody, IReadOnlyList<string> MissingFields)
{
    public bool IsComplete => MissingFields.Count == 0;
}

/// <summary>
/// A campaign's subject and body, parsed once and rendered per recipient: the text part as written, the HTML part
/// from the same text with every value encoded. Build it only from templates <see cref="MessageTemplates.Check"/> passed.
/// </summary>
public sealed class CompiledMessage
{
    private readonly IFluidTemplate _subject;
    private readonly IFluidTemplate _body;
    private readonly DateTimeOffset _now;

    private CompiledMessage(IFluidTemplate subject, IFluidTemplate body, DateTimeOffset now)
    {
        _subject = subject;
        _body = body;
        _now = now;
    }

    /// <summary>
    /// Parses both templates, or returns their problems. <paramref name="now"/> is what Liquid's "now" means while
    /// rendering, so a message renders the same however long a send takes.
    /// </summary>
    public static (CompiledMessage? Message, IReadOnlyList<CampaignProblem> Problems) Compile(string subject, string body, bool hasDeadline, DateTimeOffset now)
    {
        var problems = MessageTemplates.Check("subject", subject, hasDeadline).Concat(MessageTemplates.Check("body", body, hasDeadline)).ToList();
        return problems.Count > 0
            ? (null, problems)
            : (new CompiledMessage(MessageTemplates.Parse(subject), MessageTemplates.Parse(body), now), problems);
    }

    public RenderedMessage Render(MergeValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var context = new TemplateContext(RenderOptions.Options) { Now = () => _now };
        context.SetValue("household", Object(missing, values, "household", "name", "key", "tier"));
        context.SetValue("person", Object(missing, values, "person", "first_name", "last_name", "full_name", "email"));
        context.SetValue("advisor", Object(missing, values, "advisor", "name", "email"));
        context.SetValue("firm", Object(missing, values, "firm", "name"));
        context.SetValue("today", Value(missing, values, "today"));
        context.SetValue("deadline", Value(missing, values, "deadline"));

        var subject = OneLine(_subject.Render(context));
        var text = Tidy(_body.Render(context));
        return new RenderedMessage(subject, text, HtmlParagraphs.Document(subject, text), missing.ToList());
    }

    private static DictionaryValue Object(ISet<string> missing, MergeValues values, string root, params string[] members)
    {
        var fields = new Dictionary<string, FluidValue>(members.Length, StringComparer.Ordinal);
        foreach (var member in members)
        {
            fields[member] = Value(missing, values, $"{root}.{member}");
        }

        return new DictionaryValue(new FluidValueDictionaryFluidIndexable(fields));
    }

    private static FluidValue Value(ISet<string> missing, MergeValues values, string path) =>
        values[path] is { Length: > 0 } text ? new StringValue(text) : new MissingValue(path, missing);

    /// <summary>A subject is one line: line breaks and runs of spaces a template leaves become single spaces.</summary>
    private static string OneLine(string text)
    {
        var line = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
        }

        return line.ToString();
    }

    /// <summary>Unix line ends, no trailing spaces on lines, no blank lines at either end.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        return string.Join('\n', lines).Trim('\n');
    }
}
