using NodaTime;

namespace Ensemble.Consolidation;

/// <summary>
/// When a value goes stale: a value last verified before its fact's maximum age, counted back from today
/// in the firm's time zone, is stale.
/// </summary>
public static class Freshness
{
    /// <summary>The first instant a value must have been verified at to still be fresh today; null when the fact never ages.</summary>
    public static Instant? Cutoff(int? maxAgeMonths, LocalDate today, DateTimeZone zone) =>
        maxAgeMonths is { } months ? today.PlusMonths(-months).AtStartOfDayInZone(zone).ToInstant() : null;

    public static bool IsStale(int? maxAgeMonths, Instant verifiedAt, LocalDate today, DateTimeZone zone) =>
        Cutoff(maxAgeMonths, today, zone) is { } cutoff && verifiedAt < cutoff;

    /// <summary>The last day a value verified at <paramref name="verifiedAt"/> is still fresh; null when the fact never ages.</summary>
    public static LocalDate? FreshUntil(int? maxAgeMonths, Instant verifiedAt, DateTimeZone zone) =>
        maxAgeMonths is { } months ? verifiedAt.InZone(zone).Date.PlusMonths(months) : null;

    /// <summary>Share of known sourced facts still fresh, 0 to 1; null when nothing is known.</summary>
    public static double? Score(int known, int stale) => known == 0 ? null : (known - stale) / (double)known;
}
