using System.Globalization;
using System.Net;
using System.Text;
using NodaTime;

namespace Ensemble.Communications.Notifications;

/// <summary>A task as the digest lists it.</summary>
public sealed record DigestTask(long Id, string Title, string Process, string? HouseholdKey, string? HouseholdName, LocalDate DueOn);

/// <summary>A new alert as the digest lists it.</summary>
public sealed record DigestAlert(long Id, string Title, string HouseholdKey, string HouseholdName);

/// <summary>
/// One person's morning email: the work assigned to them that is overdue or due today, and the alerts raised since
/// the last digest on households whose team they are on. Lists are cut at <see cref="Listed"/> lines; the totals
/// always say how many there are.
/// </summary>
public sealed record StaffDigest(
    string StaffName,
    LocalDate Day,
    IReadOnlyList<DigestTask> Overdue,
    int OverdueTotal,
    IReadOnlyList<DigestTask> DueToday,
    int DueTodayTotal,
    IReadOnlyList<DigestAlert> NewAlerts,
    int NewAlertsTotal)
{
    /// <summary>Lines listed per section; more are counted, not listed.</summary>
    public const int Listed = 25;

    /// <summary>Nothing to say: no email is sent for an empty digest.</summary>
    public bool IsEmpty => OverdueTotal + DueTodayTotal + NewAlertsTotal == 0;

    public string Subject
    {
        get
        {
            var parts = new List<string>();
            if (OverdueTotal > 0)
            {
                parts.Add($"{OverdueTotal} overdue");
            }

            if (DueTodayTotal > 0)
            {
                parts.Add($"{DueTodayTotal} due today");
            }

            if (NewAlertsTotal > 0)
            {
                parts.Add($"{NewAlertsTotal} new alert{(NewAlertsTotal == 1 ? "" : "s")}");
            }

            return $"Your day, {Day.ToString("ddd d MMM", CultureInfo.InvariantCulture)}: {(parts.Count == 0 ? "nothing due" : string.Join(", ", parts))}";
        }
    }

    /// <summary>The plain-text part; links are absolute when the app's address is known.</summary>
    public string Text(Uri? app)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Hello {StaffName},\n\n");
        Section(text, "Overdue", Overdue, OverdueTotal, t => $"{t.Title} — {Where(t)} (due {t.DueOn.ToString("ddd d MMM", CultureInfo.InvariantCulture)})");
        Section(text, "Due today", DueToday, DueTodayTotal, t => $"{t.Title} — {Where(t)}");
        Section(text, "New alerts on your households", NewAlerts, NewAlertsTotal, a => $"{a.Title} — {a.HouseholdName} ({a.HouseholdKey})");
        text.Append(CultureInfo.InvariantCulture, $"Open your work: {Link(app, "/")}\n");
        text.Append(CultureInfo.InvariantCulture, $"Change what Ensemble emails you: {Link(app, "/account/notifications")}\n");
        return text.ToString();
    }

    /// <summary>The HTML part: the same content, every value encoded.</summary>
    public string Html(Uri? app)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family: sans-serif\">");
        html.Append(CultureInfo.InvariantCulture, $"<p>Hello {E(StaffName)},</p>");
        HtmlSection(html, "Overdue", Overdue, OverdueTotal, t => $"{E(t.Title)} — {E(Where(t))} <small>(due {E(t.DueOn.ToString("ddd d MMM", CultureInfo.InvariantCulture))})</small>");
        HtmlSection(html, "Due today", DueToday, DueTodayTotal, t => $"{E(t.Title)} — {E(Where(t))}");
        HtmlSection(html, "New alerts on your households", NewAlerts, NewAlertsTotal, a => $"{E(a.Title)} — {E(a.HouseholdName)} ({E(a.HouseholdKey)})");
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(Link(app, "/"))}\">Open your work</a> · <a href=\"{E(Link(app, "/account/notifications"))}\">Change what Ensemble emails you</a></p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>An absolute link when the app's address is known, else the path to open in Ensemble.</summary>
    public static string Link(Uri? app, string path) => app is null ? path : new Uri(app, path).ToString();

    private static string Where(DigestTask t) => t.HouseholdName is null ? $"{t.Process} (firm)" : $"{t.Process}, {t.HouseholdName}";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Section<T>(StringBuilder text, string title, IReadOnlyList<T> lines, int total, Func<T, string> line)
    {
        if (total == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{title} ({total})\n");
        foreach (var item in lines)
        {
            text.Append("  - ").Append(line(item)).Append('\n');
        }

        if (total > lines.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"  … and {total - lines.Count} more\n");
        }

        text.Append('\n');
    }

    private static void HtmlSection<T>(StringBuilder html, string title, IReadOnlyList<T> lines, int total, Func<T, string> line)
    {
        if (total == 0)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"font-size: 1.1em\">{E(title)} ({total})</h2><ul>");
        foreach (var item in lines)
        {
            html.Append("<li>").Append(line(item)).Append("</li>");
        }

        html.Append("</ul>");
        if (total > lines.Count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>… and {total - lines.Count} more.</p>");
        }
    }
}
