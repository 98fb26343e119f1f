using Ensemble.Communications.Notifications;
using NodaTime;

namespace Ensemble.Core.Tests.Communications.Notifications;

public sealed class StaffDigestTests
{
    private static readonly LocalDate Monday = new(2026, 11, 30);

    [Fact]
    public void Subject_CountsOverdueDueTodayAndNewAlerts()
    {
        var digest = Digest(overdue: 3, today: 1, alerts: 2);

        Assert.Equal("Your day, Mon 30 Nov: 3 overdue, 1 due today, 2 new alerts", digest.Subject);
        Assert.False(digest.IsEmpty);
    }

    [Fact]
    public void ADigestWithNothingInIt_IsEmpty()
    {
        Assert.True(Digest(0, 0, 0).IsEmpty);
    }

    [Fact]
    public void LongLists_AreCut_AndSayHowManyMore()
    {
        var digest = Digest(overdue: 30, today: 0, alerts: 0);

        var text = digest.Text(null);

        Assert.Equal(StaffDigest.Listed, text.Split('\n').Count(l => l.StartsWith("  - ", StringComparison.Ordinal)));
        Assert.Contains("… and 5 more", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EncodesEveryValue()
    {
        var digest = new StaffDigest("Zoë <script>", Monday, [new DigestTask(1, "Call <b>client</b>", "Review & plan", "HH-1", "O'Brien & Sons", Monday.PlusDays(-1))], 1, [], 0, [], 0);

        var html = digest.Html(new Uri("https://ensemble.example.com/"));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>client</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://ensemble.example.com/account/notifications\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_AreAbsoluteWhenTheAppsAddressIsKnown_AndPathsOtherwise()
    {
        var digest = Digest(1, 0, 0);

        Assert.Contains("Open your work: https://ensemble.example.com/\n", digest.Text(new Uri("https://ensemble.example.com/")), StringComparison.Ordinal);
        Assert.Contains("Open your work: /\n", digest.Text(null), StringComparison.Ordinal);
    }

    [Fact]
    public void MeetingReminderEmail_CarriesTheRemindersTitleAndLink()
    {
        var (subject, text, html) = MeetingReminderEmail.Compose("Tom", "Annual review, The Okafor Household — Tue 8 Dec 10:00", "/households/HH-1", new Uri("https://e.example/"));

        Assert.Equal("Reminder: Annual review, The Okafor Household — Tue 8 Dec 10:00", subject);
        Assert.Contains("https://e.example/households/HH-1", text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://e.example/households/HH-1\"", html, StringComparison.Ordinal);
    }

    private static StaffDigest Digest(int overdue, int today, int alerts)
    {
        var late = Enumerable.Range(1, overdue).Select(i => new DigestTask(i, $"Task {i}", "Review", "HH-1", "The Okafor Household", Monday.PlusDays(-i))).ToList();
        var due = Enumerable.Range(1, today).Select(i => new DigestTask(100 + i, $"Today {i}", "Review", null, null, Monday)).ToList();
        var raised = Enumerable.Range(1, alerts).Select(i => new DigestAlert(i, $"Alert {i}", "HH-1", "The Okafor Household")).ToList();
        return new StaffDigest("Tom", Monday, late.Take(StaffDigest.Listed).ToList(), overdue, due, today, raised, alerts);
    }
}
