using System.Globalization;
using System.Text;

namespace Ensemble.Processes.Templates;

/// <summary>
/// Writes a template as a manual page in Markdown: what the process is for, how it starts, and its steps
/// in an order where each comes after the steps it waits for. Template text is escaped so it reads literally.
/// </summary>
public static class TemplateManual
{
    private const string Special = "\\`*_[]<>&#|~";

    /// <summary>Renders <paramref name="template"/> as a Markdown page.</summary>
    /// <param name="template">The template to describe.</param>
    /// <param name="roleNames">Display names by role key; a role missing here is shown by its key.</param>
    public static string ToMarkdown(ProcessTemplate template, IReadOnlyDictionary<string, string>? roleNames = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        string Role(string key) => Escape(roleNames?.GetValueOrDefault(key) ?? key);

        var md = new StringBuilder();
        md.Append("# ").Append(Escape(template.Name)).Append("\n\n");
        Bullet(md, "", "Category", Category(template.Category));
        Bullet(md, "", "Runs for", template.Scope == TemplateScope.Firm ? "the firm" : "one household at a time");
        Bullet(md, "", "Owner", Role(template.OwnerRole));
        if (template.Anchors.Count > 0)
        {
            Bullet(md, "", "Dates it tracks", string.Join(", ", template.Anchors.Select(Escape)));
        }

        md.Append('\n');
        if (!string.IsNullOrWhiteSpace(template.Description))
        {
            Paragraphs(md, template.Description, "");
            md.Append('\n');
        }

        md.Append("## How it starts\n\n");
        foreach (var trigger in template.Triggers)
        {
            Trigger(md, trigger);
        }

        md.Append("\n## Steps\n");
        var steps = template.Steps;
        var order = StepOrder.Of(template);
        var titles = new Dictionary<string, string>(steps.Count, StringComparer.Ordinal);
        foreach (var step in steps)
        {
            titles.TryAdd(step.Key, step.Title);
        }

        string TitleOf(string key) => titles.GetValueOrDefault(key, key);
        var number = 0;
        foreach (var i in order.Order)
        {
            var step = steps[i];
            var marker = (++number).ToString(CultureInfo.InvariantCulture) + ". ";
            var indent = new string(' ', marker.Length);
            md.Append('\n').Append(marker).Append("**").Append(Escape(step.Title.Length > 0 ? step.Title : step.Key)).Append("**\n\n");
            Bullet(md, indent, "Who", Role(step.Role));
            Bullet(md, indent, "Due", step.Due is null ? "no due date" : Escape(DueRuleText.Describe(step.Due, TitleOf)));
            var waitsFor = order.Prerequisites[i].Select(p => Escape(steps[p].Title));
            Bullet(md, indent, "Waits for", order.Prerequisites[i].Count == 0 ? "nothing; ready when the process starts" : string.Join(", ", waitsFor));
            if (step.Condition is not null)
            {
                Bullet(md, indent, "Only when", Code(step.Condition.Text));
            }

            Bullet(md, indent, "May be skipped", step.Skippable ? "yes" : "no");
            Bullet(md, indent, "Estimated time", Count(step.EstimatedMinutes, "minute"));
            if (step.Checklist.Count > 0)
            {
                Bullet(md, indent, "Checklist", "");
                foreach (var item in step.Checklist)
                {
                    md.Append(indent).Append("  - [ ] ").Append(Escape(item)).Append('\n');
                }
            }

            if (!string.IsNullOrWhiteSpace(step.Instructions))
            {
                md.Append('\n');
                Paragraphs(md, step.Instructions, indent);
            }
        }

        return md.ToString();
    }

    private static void Trigger(StringBuilder md, Trigger trigger)
    {
        md.Append("- ").Append(trigger switch
        {
            ManualTrigger => "By hand.",
            EventTrigger { Event: EventKind.HouseholdBecameClient } => "When a household becomes a client.",
            EventTrigger { Event: EventKind.AccountOpened } => "When an account is opened for a household.",
            EventTrigger { Event: EventKind.ProcessCompleted, TemplateKey: { } key } => $"When the {Code(key)} process completes for a household.",
            EventTrigger e => $"On the event {e.Event}.",
            PeriodicTrigger p => Schedule(p) + (p.Audience == PeriodicAudience.Firm ? ", once for the firm." : ", for every client household."),
            _ => Escape(trigger.ToString()),
        }).Append('\n');

        if (trigger is PeriodicTrigger periodic)
        {
            Bullet(md, "  ", "If missed while Ensemble was not running", periodic.Missed == MissedRunPolicy.Skip
                ? "skipped; it waits for the next occurrence"
                : $"started late, if still within {Count(periodic.CatchUpWindowDays, "day")}");
            Bullet(md, "  ", "If the previous one is still open", periodic.Overlap switch
            {
                OverlapPolicy.Allow => "a new one starts alongside it",
                OverlapPolicy.CancelPrevious => "its remaining tasks are cancelled and a new one starts",
                _ => "this occurrence is skipped",
            });
        }
    }

    private static string Schedule(PeriodicTrigger p)
    {
        var day = $"{Ordinal(p.DayOfPeriod)} business day";
        return p.Cadence switch
        {
            Cadence.Cron => $"On the cron schedule {Code(p.CronExpression ?? "")} (firm time zone)",
            Cadence.Monthly => $"Every month on the {day}",
            Cadence.Quarterly => $"Every quarter on the {day} of {Months(p.StartMonth, 3)}",
            Cadence.SemiAnnual => $"Twice a year on the {day} of {Months(p.StartMonth, 6)}",
            _ => $"Every year on the {day} of {Months(p.StartMonth, 12)}",
        };
    }

    /// <summary>The months periods start in, e.g. "February, May, August and November".</summary>
    private static string Months(int startMonth, int step)
    {
        var names = Enumerable.Range(0, 12 / step)
            .Select(n => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(((Math.Clamp(startMonth, 1, 12) - 1 + (n * step)) % 12) + 1))
            .ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
    }

    private static string Ordinal(int n) => n.ToString(CultureInfo.InvariantCulture) + ((n % 100) is >= 11 and <= 13 ? "th" : (n % 10) switch
    {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    });

    private static string Count(int n, string unit) => n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s");

    private static string Category(TemplateCategory category) => category switch
    {
        TemplateCategory.ClientManagement => "Client management",
        TemplateCategory.ServiceRequests => "Service requests",
        TemplateCategory.PracticeManagement => "Practice management",
        _ => category.ToString(),
    };

    private static void Bullet(StringBuilder md, string indent, string label, string value) =>
        md.Append(indent).Append("- **").Append(label).Append(":**").Append(value.Length > 0 ? " " : "").Append(value).Append('\n');

    /// <summary>Keeps the author's line breaks (as hard breaks) and blank-line paragraphs, indented to sit inside a list item.</summary>
    private static void Paragraphs(StringBuilder md, string text, string indent)
    {
        var lines = text.ReplaceLineEndings("\n").Trim().Split('\n').Select(l => l.Trim()).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                if (lines[i - 1].Length > 0)
                {
                    md.Append('\n');
                }

                continue;
            }

            md.Append(indent).Append(Escape(lines[i]));
            md.Append(i + 1 < lines.Count && lines[i + 1].Length > 0 ? "\\\n" : "\n");
        }
    }

    /// <summary>
    /// Backslash-escapes Markdown punctuation, and a leading list or heading marker, so template text
    /// cannot turn into links, HTML or structure.
    /// </summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c is '\r' or '\n' ? ' ' : c);
        }

        var digits = 0;
        while (digits < escaped.Length && char.IsAsciiDigit(escaped[digits]))
        {
            digits++;
        }

        if (escaped.Length > 0 && (escaped[0] is '-' or '+' or '=' || (digits > 0 && digits < escaped.Length && escaped[digits] is '.' or ')')))
        {
            escaped.Insert(digits, '\\');
        }

        return escaped.ToString();
    }

    /// <summary>A code span whose fence is longer than any run of backticks inside it.</summary>
    private static string Code(string text)
    {
        text = text.ReplaceLineEndings(" ");
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : "";
        return fence + pad + text + pad + fence;
    }
}
