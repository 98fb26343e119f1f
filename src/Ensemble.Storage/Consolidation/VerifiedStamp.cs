using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Consolidation;

/// <summary>Reads when a source says it last verified a value: a day (taken as its start in the firm's zone) or an ISO instant.</summary>
internal static class VerifiedStamp
{
    public static bool TryParse(string text, DateTimeZone zone, Instant now, out Instant value, out string error)
    {
        value = default;
        error = "";
        var t = text.Trim();
        var date = LocalDatePattern.Iso.Parse(t);
        if (date.Success)
        {
            value = date.Value.AtStartOfDayInZone(zone).ToInstant();
        }
        else if (InstantPattern.ExtendedIso.Parse(t) is { Success: true } instant)
        {
            value = instant.Value;
        }
        else if (OffsetDateTimePattern.ExtendedIso.Parse(t) is { Success: true } offset)
        {
            value = offset.Value.ToInstant();
        }
        else
        {
            error = $"\"{text}\" is not a date or time (expected yyyy-MM-dd or 2026-11-24T14:00:00Z)";
            return false;
        }

        if (value > now)
        {
            error = $"\"{text}\" is in the future; a value cannot have been verified yet";
            return false;
        }

        return true;
    }
}
