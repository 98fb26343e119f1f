using Cronos;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.ServiceModel.Capacity;

/// <summary>
/// How much work a template asks of each role, and how often a periodic template runs in a year.
/// Every step counts, conditional and skippable ones included: capacity is planned for the work that
/// may be needed, not for the least that could be.
/// </summary>
public static class TemplateWorkload
{
    /// <summary>Roles that hold client meetings.</summary>
    public static IReadOnlySet<string> AdvisorRoles { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        RoleKeys.WealthPartner,
        RoleKeys.FinancialAdvisor,
        RoleKeys.AssociateAdvisor,
    };

    /// <summary>An occurrence count above this per trigger and year is not plausible work; counting stops there.</summary>
    public const int MaxOccurrencesPerYear = 10_000;

    /// <summary>
    /// The step that is the meeting itself: the first step an advisor role does on the meeting day
    /// (due "on" an anchor), else the first step whose key starts with "hold-". Its time is the
    /// meeting's length, taken from the touchpoint rather than from the step's estimate.
    /// </summary>
    public static StepDefinition? MeetingStep(ProcessTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Steps.FirstOrDefault(s => s.Due is RelativeToAnchor { Offset: 0 } && AdvisorRoles.Contains(s.Role))
            ?? template.Steps.FirstOrDefault(s => s.Key.StartsWith("hold-", StringComparison.Ordinal));
    }

    /// <summary>Estimated minutes per role, summed over the steps; the meeting step left out when asked.</summary>
    public static IReadOnlyDictionary<string, int> MinutesByRole(ProcessTemplate template, bool withoutMeetingStep)
    {
        ArgumentNullException.ThrowIfNull(template);
        var meeting = withoutMeetingStep ? MeetingStep(template) : null;
        return template.Steps
            .Where(s => !ReferenceEquals(s, meeting))
            .GroupBy(s => s.Role, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.EstimatedMinutes), StringComparer.Ordinal);
    }

    /// <summary>
    /// How many times a periodic trigger fires in each month of a year (index 0 = January), on the
    /// firm's business calendar: an occurrence counts in the month its date falls in.
    /// </summary>
    public static int[] OccurrencesPerMonth(PeriodicTrigger trigger, int year, BusinessCalendar calendar, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(zone);
        var months = new int[12];
        var start = new LocalDate(year, 1, 1).AtStartOfDayInZone(zone).ToInstant();
        var end = new LocalDate(year + 1, 1, 1).AtStartOfDayInZone(zone).ToInstant();
        if (trigger.Cadence == Cadence.Cron)
        {
            var cron = CronExpression.Parse(trigger.CronExpression ?? "");
            var count = 0;
            foreach (var utc in cron.GetOccurrences(start.ToDateTimeUtc(), end.ToDateTimeUtc(), TimeZoneFor(zone), fromInclusive: true, toInclusive: false))
            {
                months[Instant.FromDateTimeUtc(utc).InZone(zone).Month - 1]++;
                if (++count >= MaxOccurrencesPerYear)
                {
                    break;
                }
            }

            return months;
        }

        // Calendar cadences: step from one occurrence to the next (at most a dozen a year).
        var after = start - Duration.FromTicks(1);
        for (var i = 0; i < 24; i++)
        {
            var next = Processes.Scheduling.PeriodicSchedule.Next(trigger, calendar, zone, after);
            if (next is null || next.Date.Year > year)
            {
                break;
            }

            if (next.Date.Year == year)
            {
                months[next.Date.Month - 1]++;
            }

            after = next.Date.AtStartOfDayInZone(zone).ToInstant();
        }

        return months;
    }

    private static TimeZoneInfo TimeZoneFor(DateTimeZone zone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone.Id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
