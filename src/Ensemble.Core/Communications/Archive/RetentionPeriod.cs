using NodaTime;

namespace Ensemble.Communications.Archive;

/// <summary>
/// A books-and-records period in whole years, as the fixed length the outbox stores per message. Leap days are
/// counted generously (one per started four years), so a message is never released a day before its years are up.
/// </summary>
public static class RetentionPeriod
{
    public static Duration OfYears(int years)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(years);
        return Duration.FromDays((years * 365) + ((years + 3) / 4));
    }
}
