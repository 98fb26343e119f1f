using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Communications.Notifications;

/// <summary>Each person chooses their own notification emails, through the API and the account page.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class NotificationPreferencesApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Preferences_StartAllOn_AndAChangeIsMineAlone(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var ruth = await app.ClientAsAsync("ruth");
        using var jonas = await app.ClientAsAsync("jonas");

        var before = await ruth.GetAsync("/api/me/notification-preferences").ExpectAsync(HttpStatusCode.OK);
        var changed = await ruth.PutAsJsonAsync("/api/me/notification-preferences", new { meetingReminders = false }).ExpectAsync(HttpStatusCode.OK);
        var his = await jonas.GetAsync("/api/me/notification-preferences").ExpectAsync(HttpStatusCode.OK);

        Assert.True(before.GetProperty("dailyDigest").GetBoolean());
        Assert.Equal("ruth@harborpoint.example", before.GetProperty("email").GetString());
        Assert.False(changed.GetProperty("meetingReminders").GetBoolean());
        Assert.True(changed.GetProperty("dailyDigest").GetBoolean());
        Assert.True(his.GetProperty("meetingReminders").GetBoolean());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AccountPage_SavesTheBoxesTicked(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "sam");
        var page = await (await browser.GetAsync("/account/notifications")).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups["value"].Value);

        // Only the digest is ticked: the other two boxes are not posted, as a browser leaves unticked boxes out.
        using var posted = await browser.PostAsync("/account/notifications", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["dailyDigest"] = "true",
            ["__RequestVerificationToken"] = token,
        }));
        using var api = await app.ClientAsAsync("sam");
        var saved = await api.GetAsync("/api/me/notification-preferences").ExpectAsync(HttpStatusCode.OK);

        Assert.Contains("A daily digest", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal((true, false, false), (saved.GetProperty("dailyDigest").GetBoolean(), saved.GetProperty("meetingReminders").GetBoolean(), saved.GetProperty("alertsInDigest").GetBoolean()));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Token();
}
