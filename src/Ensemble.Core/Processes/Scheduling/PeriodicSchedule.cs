using System.Globalization;
using Cronos;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using NodaTime;

namespace Ensemble.Processes.Scheduling;

/// <summary>One occurrence of a periodic trigger: a stable key (unique per trigger) and the local date it falls on.</summary>
public sealed record Occurrence(string Key, LocalDate Date);

/// <summary>
/// When periodic triggers fire. Calendar cadences fall on the N-th business day of their period;
/// periods are counted from the trigger's start month (quarterly from February: Feb, May, Aug, Nov).
/// Keys name the period — "2026-11" (monthly), "2026-Q4", "2026-H2", "2026" — or, for cron, the local
/// minute ("2026-11-24T09:00"), so the same occurrence always has the same key.
/// </summary>
public static class PeriodicSchedule
{
    private const int MaxOccurrences = 1000;

    /// <summary>
    /// Occurrences falling in (lastSwept, now], after the missed-run policy: catch-up keeps those
    /// within the catch-up window of today; skip keeps only an occurrence due today.
    /// </summary>
    public static IReadOnlyList<Occurrence> Due(PeriodicTrigger trigger, BusinessCalendar calendar, DateTimeZone zone, Instant lastSwept, Instant now)
    {
        if (now <= lastSwept)
        {
            return [];
        }

        var today = now.InZone(zone).Date;
        var window = trigger.Missed == MissedRunPolicy.CatchUp ? Math.Max(0, trigger.CatchUpWindowDays) : 0;
        var earliest = today.PlusDays(-window);

        // Never enumerate further back than the policy could keep.
        var from = Instant.Max(lastSwept, earliest.AtStartOfDayInZone(zone).ToInstant() - Duration.FromTicks(1));
        var list = new List<Occurrence>();
        foreach (var occurrence in Between(trigger, calendar, zone, from, now))
        {
            if (occurrence.Date >= earliest && occurrence.Date <= today)
            {
                list.Add(occurrence);
            }

            if (list.Count >= MaxOccurrences)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>The next occurrence strictly after an instant (for showing "next run").</summary>
    public static Occurrence? Next(PeriodicTrigger trigger, BusinessCalendar calendar, DateTimeZone zone, Instant after)
    {
        if (trigger.Cadence == Cadence.Cron)
        {
            var next = ParseCron(trigger).GetNextOccurrence(after.ToDateTimeUtc(), ToTimeZoneInfo(zone));
            return next is null ? null : CronOccurrence(Instant.FromDateTimeUtc(next.Value), zone);
        }

        var date = after.InZone(zone).Date;
        foreach (var period in PeriodsFrom(trigger, date.PlusMonths(-Months(trigger.Cadence))))
        {
            var occurrence = InPeriod(trigger, calendar, period);
            if (occurrence.Date.AtStartOfDayInZone(zone).ToInstant() > after)
            {
                return occurrence;
            }
        }

        return null;
    }

    private static IEnumerable<Occurrence> Between(PeriodicTrigger trigger, BusinessCalendar calendar, DateTimeZone zone, Instant from, Instant to)
    {
        if (trigger.Cadence == Cadence.Cron)
        {
            foreach (var utc in ParseCron(trigger).GetOccurrences(from.ToDateTimeUtc(), to.ToDateTimeUtc(), ToTimeZoneInfo(zone), fromInclusive: false, toInclusive: true).Take(MaxOccurrences))
            {
                yield return CronOccurrence(Instant.FromDateTimeUtc(utc), zone);
            }

            yield break;
        }

        var toDate = to.InZone(zone).Date;
        foreach (var period in PeriodsFrom(trigger, from.InZone(zone).Date.PlusMonths(-Months(trigger.Cadence))))
        {
            if (period > toDate)
            {
                yield break;
            }

            var occurrence = InPeriod(trigger, calendar, period);
            if (occurrence.Date > toDate)
            {
                yield break;
            }

            // An occurrence fires at the start of its day in the firm's zone.
            var fires = occurrence.Date.AtStartOfDayInZone(zone).ToInstant();
            if (fires > from && fires <= to)
            {
                yield return occurrence;
            }
        }
    }

    /// <summary>First days of the periods of a calendar cadence, from the period containing <paramref name="date"/>.</summary>
    private static IEnumerable<LocalDate> PeriodsFrom(PeriodicTrigger trigger, LocalDate date)
    {
        var months = Months(trigger.Cadence);
        var startMonth = Math.Clamp(trigger.StartMonth, 1, 12);
        var offset = ((date.Month - startMonth) % months + months) % months;
        var period = new LocalDate(date.Year, date.Month, 1).PlusMonths(-offset);
        for (var i = 0; i < MaxOccurrences * 2; i++)
        {
            yield return period;
            period = period.PlusMonths(months);
        }
    }

    private static Occurrence InPeriod(PeriodicTrigger trigger, BusinessCalendar calendar, LocalDate periodStart)
    {
        var day = calendar.AddBusinessDays(calendar.OnOrAfter(periodStart), Math.Max(1, trigger.DayOfPeriod) - 1);
        return new Occurrence(Key(trigger, periodStart), day);
    }

    private static string Key(PeriodicTrigger trigger, LocalDate periodStart)
    {
        var startMonth = Math.Clamp(trigger.StartMonth, 1, 12);
        var index = ((periodStart.Month - startMonth + 12) % 12 / Months(trigger.Cadence)) + 1;
        var year = periodStart.Year.ToString("D4", CultureInfo.InvariantCulture);
        return trigger.Cadence switch
        {
            Cadence.Monthly => $"{year}-{periodStart.Month:D2}",
            Cadence.Quarterly => $"{year}-Q{index}",
            Cadence.SemiAnnual => $"{year}-H{index}",
            _ => year,
        };
    }

    private static int Months(Cadence cadence) => cadence switch
    {
        Cadence.Monthly => 1,
        Cadence.Quarterly => 3,
        Cadence.SemiAnnual => 6,
        _ => 12,
    };

    private static CronExpression ParseCron(PeriodicTrigger trigger) => CronExpression.Parse(trigger.CronExpression ?? "");

    private static Occurrence CronOccurrence(Instant at, DateTimeZone zone)
    {
        var local = at.InZone(zone).LocalDateTime;
        return new Occurrence(local.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), local.Date);
    }

    private static TimeZoneInfo ToTimeZoneInfo(DateTimeZone zone)
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
