using System.Globalization;

namespace Ensemble.Processes.Templates;

/// <summary>
/// Says when a step falls due in plain words, for diagrams and manuals. Worded from the parsed rule rather
/// than the text as written, so spacing and capitals in the template do not show through.
/// </summary>
public static class DueRuleText
{
    /// <summary>E.g. "2 business days after start", "1 day before meeting", "3 business days after 'prepare-agenda'".</summary>
    /// <param name="rule">The rule to describe.</param>
    /// <param name="stepName">Names a step by its key, e.g. with its title; without it the key is shown.</param>
    public static string Describe(DueRule rule, Func<string, string>? stepName = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule switch
        {
            AfterStart { BusinessDays: 0 } => "on the day it starts",
            AfterStart s => $"{Days(s.BusinessDays, business: true)} after start",
            AfterStep { BusinessDays: 0 } s => $"on the day '{stepName?.Invoke(s.StepKey) ?? s.StepKey}' is done",
            AfterStep s => $"{Days(s.BusinessDays, business: true)} after '{stepName?.Invoke(s.StepKey) ?? s.StepKey}'",
            RelativeToAnchor { Offset: 0 } a => $"on {a.Anchor}",
            RelativeToAnchor a => $"{Days(Math.Abs((long)a.Offset), a.BusinessDays)} {(a.Offset < 0 ? "before" : "after")} {a.Anchor}",
            _ => rule.Text,
        };
    }

    private static string Days(long count, bool business) =>
        count.ToString(CultureInfo.InvariantCulture) + (business ? " business" : "") + (count == 1 ? " day" : " days");
}
