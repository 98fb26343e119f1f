using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Pages.Alerts;

/// <summary>An alert as a card shows it, with where its forms post and whether they update in place.</summary>
public sealed record AlertCard(AlertView Alert, string PostTo, bool InPlace, DateTimeZone Zone, LocalDate Today, bool ShowHousehold);

/// <summary>The moves the alert forms offer (acknowledge, follow-up, snooze, resolve), shared by the alerts page and the household page.</summary>
internal static class AlertActions
{
    public static async Task<Result<AlertView>> ActAsync(
        EnsembleDb db, IClock clock, string actor, long id, int? version, string? act, string? note, string? until, CancellationToken cancellationToken)
    {
        var book = new AlertBook(db, clock);
        var alert = new AlertId(id);
        switch (act)
        {
            case "acknowledge":
                return await book.AcknowledgeAsync(alert, actor, version, cancellationToken);
            case "follow-up":
                return await book.FollowUpAsync(alert, actor, note, version, cancellationToken);
            case "snooze":
                var day = string.IsNullOrWhiteSpace(until) ? null : LocalDatePattern.Iso.Parse(until.Trim());
                return day is { Success: true }
                    ? await book.SnoozeAsync(alert, day.Value, actor, note, version, cancellationToken)
                    : Error.Invalid("until: choose the day the alert comes back.");
            case "resolve":
                return await book.ResolveAsync(alert, actor, note, version, cancellationToken);
            default:
                return Error.Invalid("Choose what to do with the alert.");
        }
    }

    public static string Done(AlertView alert) => alert.Status switch
    {
        AlertStatus.Resolved => $"Resolved: {alert.Title} ({alert.HouseholdKey}).",
        _ when alert.Snoozed => $"Snoozed until {alert.SnoozedUntil:d MMM uuuu}: {alert.Title} ({alert.HouseholdKey}).",
        _ => $"{AlertStatuses.Name(alert.Status)}: {alert.Title} ({alert.HouseholdKey}).",
    };

    /// <summary>A message without the field prefix the domain puts on it ("note: …").</summary>
    public static string Message(Error error)
    {
        var colon = error.Message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !error.Message[..colon].Contains(' ', StringComparison.Ordinal) ? error.Message[(colon + 2)..] : error.Message;
    }
}
