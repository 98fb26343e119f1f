using NodaTime;

namespace Ensemble.Communications.Archive;

/// <summary>A setting at fault and why, named as the API and the settings page spell the field.</summary>
public sealed record SettingProblem(string Field, string Message);

/// <summary>
/// The firm's record-keeping for client communications: how long every message is kept (and protected from deletion)
/// after it went out, the fiscal year end that sets the Form ADV delivery deadline, and the address staff open
/// Ensemble at, for links in the emails it sends them.
/// </summary>
/// <param name="RetentionYears">Years each message is kept from sending; at least <see cref="MinimumRetentionYears"/>.</param>
/// <param name="FiscalYearEnd">The last day of the firm's fiscal year, e.g. 12-31.</param>
/// <param name="AppAddress">e.g. https://ensemble.harborpoint.example/; null when unknown (emails then name the page instead of linking it).</param>
public sealed record CommunicationSettings(int RetentionYears, AnnualDate FiscalYearEnd, string? AppAddress)
{
    public const int DefaultRetentionYears = 6;

    /// <summary>SEC Rule 204-2(e)(1): an adviser keeps its books and records for five years at least.</summary>
    public const int MinimumRetentionYears = 5;

    public const int MaximumRetentionYears = 100;

    public const int AppAddressLength = 300;

    public static CommunicationSettings Default { get; } = new(DefaultRetentionYears, new AnnualDate(12, 31), null);

    /// <summary>The period as the outbox stores it per message.</summary>
    public Duration Retention => RetentionPeriod.OfYears(RetentionYears);

    /// <summary>The app's address as a base for links, or null.</summary>
    public Uri? AppBase => AppAddress is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>Everything wrong with the settings, each with its field; empty when they can be saved.</summary>
    public IReadOnlyList<SettingProblem> Problems()
    {
        var problems = new List<SettingProblem>();
        if (RetentionYears is < MinimumRetentionYears or > MaximumRetentionYears)
        {
            problems.Add(new("retentionYears",
                $"Keep messages for {MinimumRetentionYears} to {MaximumRetentionYears} years (SEC Rule 204-2 asks for five at least), not {RetentionYears}."));
        }

        if (AppAddress is not null)
        {
            if (AppAddress.Length > AppAddressLength)
            {
                problems.Add(new("appAddress", $"At most {AppAddressLength} characters."));
            }
            else if (!Uri.TryCreate(AppAddress, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add(new("appAddress", $"\"{AppAddress}\" is not an http(s) address such as https://ensemble.example.com/."));
            }
        }

        return problems;
    }

    /// <summary>Reads a fiscal year end written as MM-DD (e.g. 12-31 or 03-31).</summary>
    public static AnnualDate? ParseFiscalYearEnd(string? text)
    {
        var parts = (text ?? "").Trim().Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var day)
            || month is < 1 or > 12 || day < 1 || day > DaysIn(month))
        {
            return null;
        }

        return new AnnualDate(month, day);
    }

    /// <summary>MM-DD, as <see cref="ParseFiscalYearEnd"/> reads it.</summary>
    public static string Format(AnnualDate date) => $"{date.Month:00}-{date.Day:00}";

    // February 29 is allowed: in a year without one the fiscal year ends on the 28th.
    private static int DaysIn(int month) => month == 2 ? 29 : CalendarSystem.Iso.GetDaysInMonth(2001, month);
}
