using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.Processes.Running;

/// <summary>Turns a due rule into a date on the firm's business calendar.</summary>
public static class DueDates
{
    public static LocalDate Compute(DueRule rule, DueContext context, BusinessCalendar calendar) => rule switch
    {
        AfterStart s => calendar.AddBusinessDays(context.StartedOn, s.BusinessDays),
        AfterStep s => calendar.AddBusinessDays(
            context.StepsCompletedOn.TryGetValue(s.StepKey, out var done) ? done : context.StartedOn, s.BusinessDays),
        RelativeToAnchor { BusinessDays: true } a => calendar.AddBusinessDays(context.Anchors[a.Anchor], a.Offset),
        // Calendar-day offsets that land on a closed day move towards the anchor's side of time:
        // preparation due "7 days before" a meeting never slips past the meeting.
        RelativeToAnchor a => a.Offset < 0
            ? calendar.OnOrBefore(context.Anchors[a.Anchor].PlusDays(a.Offset))
            : calendar.OnOrAfter(context.Anchors[a.Anchor].PlusDays(a.Offset)),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown due rule."),
    };
}
