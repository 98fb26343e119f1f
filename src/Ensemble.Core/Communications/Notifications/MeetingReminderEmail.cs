using System.Net;

namespace Ensemble.Communications.Notifications;

/// <summary>The email for one meeting reminder: the reminder's own title (the meeting and its time) and its link.</summary>
public static class MeetingReminderEmail
{
    public static (string Subject, string Text, string Html) Compose(string staffName, string title, string? link, Uri? app)
    {
        var target = link is null ? null : StaffDigest.Link(app, link);
        var text = $"Hello {staffName},\n\nReminder: {title}\n" + (target is null ? "" : $"\nOpen the household: {target}\n")
            + $"\nChange what Ensemble emails you: {StaffDigest.Link(app, "/account/notifications")}\n";
        var html = "<!DOCTYPE html><html><body style=\"font-family: sans-serif\">"
            + $"<p>Hello {E(staffName)},</p><p>Reminder: <strong>{E(title)}</strong></p>"
            + (target is null ? "" : $"<p><a href=\"{E(target)}\">Open the household</a></p>")
            + $"<p><small><a href=\"{E(StaffDigest.Link(app, "/account/notifications"))}\">Change what Ensemble emails you</a></small></p></body></html>";
        return ($"Reminder: {title}", text, html);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
