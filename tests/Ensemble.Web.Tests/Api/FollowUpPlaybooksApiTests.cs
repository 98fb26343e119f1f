using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>The quadrant playbooks through the API and the Follow-ups page's settings: read by everyone, changed by practice managers, bad words refused by field.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class FollowUpPlaybooksApiTests(WebApps apps)
{
    private static readonly object AllDefaults = new
    {
        playbooks = new Dictionary<string, object?> { ["urgent-advice"] = null, ["urgent-service"] = null, ["planned-advice"] = null, ["self-service"] = null },
    };

    [Theory, OnSqlite, OnPostgres]
    public async Task APlaybookChange_RoundTripsInWords_KeepsWhatWasLeftOut_AndIsAudited(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        try
        {
            var before = await elena.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(["email", "sms", "letter", "phone-call"], Channels(before, "urgent-service"));
            Assert.Equal(["email", "sms", "letter", "phone-call"], Channels(before.GetProperty("defaultPlaybooks"), "urgent-service"));

            var saved = await elena.PutAsJsonAsync("/api/follow-ups/settings", new
            {
                playbooks = new Dictionary<string, object> { ["urgent-service"] = new { channels = new[] { "letter", "Email", "phone call" } } },
            }).ExpectAsync(HttpStatusCode.OK);

            Assert.Equal(["letter", "email", "phone-call"], Channels(saved, "urgent-service"));
            var after = await elena.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK);
            var urgentService = after.GetProperty("playbooks").GetProperty("urgent-service");
            Assert.Equal(["letter", "email", "phone-call"], Channels(after, "urgent-service"));
            Assert.Equal(("self-service", "client-service-associate"), (urgentService.GetProperty("action").GetString(), urgentService.GetProperty("callerRole").GetString()));
            Assert.Equal(Channels(before, "urgent-advice"), Channels(after, "urgent-advice"));
            Assert.Equal(before.GetProperty("tasksPerPersonPerDay").GetInt32(), after.GetProperty("tasksPerPersonPerDay").GetInt32());

            await using var db = app.OpenDb();
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Operation == "set-follow-up-settings" && e.Actor == "elena"));

            // The API documents the request it accepts.
            var openApi = await elena.GetStringAsync("/api/openapi/v1.json");
            Assert.Contains("\"PlaybookWords\"", openApi, StringComparison.Ordinal);
            Assert.Contains("\"callerRole\"", openApi, StringComparison.Ordinal);

            var restored = await elena.PutAsJsonAsync("/api/follow-ups/settings", new { playbooks = new Dictionary<string, object?> { ["urgent-service"] = null } })
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(["email", "sms", "letter", "phone-call"], Channels(restored, "urgent-service"));
        }
        finally
        {
            (await elena.PutAsJsonAsync("/api/follow-ups/settings", AllDefaults)).Dispose();
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task BadPlaybooks_AreValidationProblemsNamingEachField_AndNothingChanges(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        using var tom = await app.ClientAsAsync("tom");
        var before = (await elena.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK)).ToString();

        var problem = await (await elena.PutAsJsonAsync("/api/follow-ups/settings", new
        {
            tasksPerPersonPerDay = 3,
            playbooks = new Dictionary<string, object>
            {
                ["someday"] = new { channels = new[] { "email" } },
                ["urgent-service"] = new { channels = new[] { "email", "pigeon", "email" }, action = "shrug" },
                ["planned-advice"] = new { channels = new[] { "letter", "letter" } },
                ["self-service"] = new { callerRole = "adviser" },
            },
        })).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.All(
            new[] { "playbooks.someday", "playbooks.urgent-service.channels", "playbooks.urgent-service.action", "playbooks.planned-advice.channels", "playbooks.self-service.callerRole" },
            field => Assert.True(errors.TryGetProperty(field, out _), problem.ToString()));
        Assert.Contains("email, sms, letter, phone-call", errors.GetProperty("playbooks.urgent-service.channels")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await elena.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK)).ToString());

        using var refused = await tom.PutAsJsonAsync("/api/follow-ups/settings", new { playbooks = new Dictionary<string, object> { ["urgent-service"] = new { channels = new[] { "letter" } } } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TheSettingsSection_ShowsThePlaybooksToEveryone_AndAPracticeManagerEditsAndRestoresThem(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = app.Browser();
        await SignInForm.SignInAsync(tom, "tom");
        var tomsView = await tom.GetStringAsync("/follow-ups?view=settings");
        Assert.Contains("Playbooks by quadrant", tomsView, StringComparison.Ordinal);
        Assert.Contains("Email, then Text message, then Letter, then Phone call", tomsView, StringComparison.Ordinal);
        Assert.DoesNotContain("rows[0].Channels", tomsView, StringComparison.Ordinal);

        using var elena = app.Browser();
        await SignInForm.SignInAsync(elena, "elena");
        try
        {
            var page = await elena.GetStringAsync("/follow-ups?view=settings");
            var form = PlaybookForm().Match(page);
            Assert.True(form.Success, "The settings section has no playbook form.");
            var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
            var token = WebUtility.HtmlDecode(Token().Match(form.Value).Groups["value"].Value);
            Assert.Contains("urgent-service", form.Value, StringComparison.Ordinal);

            // Tom, who does not manage the practice, may not post it.
            var tomsToken = WebUtility.HtmlDecode(Token().Match(tomsView).Groups["value"].Value);
            using (var forbidden = await tom.PostAsync(action, Fields(tomsToken, "urgent-service", "letter", "self-service", "client-service-associate")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            }

            using (var bad = await elena.PostAsync(action, Fields(token, "urgent-service", "letter, pigeon", "self-service", "client-service-associate")))
            {
                var html = await bad.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
                Assert.Contains("Nothing was saved", html, StringComparison.Ordinal);
                Assert.Contains("id=\"e-playbooks-urgent-service-channels\"", html, StringComparison.Ordinal);
                Assert.Contains("&#x27;pigeon&#x27; is not a channel", html, StringComparison.Ordinal);
                Assert.Contains("value=\"letter, pigeon\"", html, StringComparison.Ordinal);
            }

            using (var good = await elena.PostAsync(action, Fields(token, "urgent-service", "letter, email", "advisor-meeting", "wealth-partner")))
            {
                Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
            }

            using var api = await app.ClientAsAsync("elena");
            var saved = await api.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(["letter", "email"], Channels(saved, "urgent-service"));
            Assert.Equal("advisor-meeting", saved.GetProperty("playbooks").GetProperty("urgent-service").GetProperty("action").GetString());

            var edited = await elena.GetStringAsync("/follow-ups?view=settings");
            Assert.Contains("Playbooks saved.", edited, StringComparison.Ordinal);
            var restore = RestoreForm().Match(edited);
            Assert.True(restore.Success, "The settings section has no restore form.");
            using (var restored = await elena.PostAsync(WebUtility.HtmlDecode(restore.Groups["action"].Value), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Token().Match(restore.Value).Groups["value"].Value),
            })))
            {
                Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
            }

            var back = await api.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(["email", "sms", "letter", "phone-call"], Channels(back, "urgent-service"));
        }
        finally
        {
            using var api = await app.ClientAsAsync("elena");
            (await api.PutAsJsonAsync("/api/follow-ups/settings", AllDefaults)).Dispose();
        }
    }

    private static List<string?> Channels(JsonElement settings, string quadrant)
    {
        var playbooks = settings.TryGetProperty("playbooks", out var inner) ? inner : settings;
        return playbooks.GetProperty(quadrant).GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ToList();
    }

    private static FormUrlEncodedContent Fields(string token, string quadrant, string channels, string action, string caller) =>
        new(new Dictionary<string, string>
        {
            ["rows[0].Quadrant"] = quadrant,
            ["rows[0].Channels"] = channels,
            ["rows[0].Action"] = action,
            ["rows[0].CallerRole"] = caller,
            ["__RequestVerificationToken"] = token,
        });

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*handler=Playbooks[^\"]*)\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex PlaybookForm();

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*handler=RestorePlaybooks[^\"]*)\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex RestoreForm();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Token();
}
