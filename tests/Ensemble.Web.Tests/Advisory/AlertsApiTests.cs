using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ensemble.Consolidation;
using Ensemble.Storage;
using Ensemble.Storage.Consolidation;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Advisory;

/// <summary>Alerts through the API and the pages: run the framework, list, explain, act with If-Match, and who may see what.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class AlertsApiTests(WebApps apps)
{
    private const string Concentration = "investments.concentration";

    [Theory, OnSqlite, OnPostgres]
    public async Task ARunRaisesAlerts_ThatStaffListExplainAndMoveAlong_HonouringIfMatch(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var key = await app.HouseholdOnTeamOfAsync("tom");
        await SheetAsync(app, key, ("portfolio.largest_position", 42));
        using var elena = await app.ClientAsAsync("elena");
        var run = await elena.PostAsync("/api/advisory/run", null).ExpectAsync(HttpStatusCode.OK);
        Assert.True(run.GetProperty("households").GetInt32() >= 1);

        using var tom = await app.ClientAsAsync("tom");
        var page = await tom.GetAsync($"/api/alerts?rule={Concentration}&household={key}&status=all").ExpectAsync(HttpStatusCode.OK);
        var listed = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("investments.concentration/over-35", listed.GetProperty("type").GetString());
        Assert.Equal("New", listed.GetProperty("status").GetString());
        Assert.Contains(listed.GetProperty("explanation").EnumerateArray(), v => v.GetProperty("name").GetString() == "portfolio.largest_position" && v.GetProperty("value").GetString() == "42%");
        var id = listed.GetProperty("id").GetInt64();

        using var read = await tom.GetAsync($"/api/alerts/{id}");
        var etag = read.Headers.ETag!.Tag;
        using (var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{id}/acknowledge"))
        {
            stale.Headers.TryAddWithoutValidation("If-Match", "\"99\"");
            await (await tom.SendAsync(stale)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var fresh = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{id}/acknowledge"))
        {
            fresh.Headers.TryAddWithoutValidation("If-Match", etag);
            var acknowledged = await (await tom.SendAsync(fresh)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("Acknowledged", acknowledged.GetProperty("status").GetString());
            Assert.Equal("acknowledged", acknowledged.GetProperty("history")[0].GetProperty("what").GetString());
        }

        await (await tom.PostAsync($"/api/alerts/{id}/acknowledge", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var noNote = await (await tom.PostAsJsonAsync($"/api/alerts/{id}/resolve", new { note = "" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noNote.GetProperty("errors").TryGetProperty("note", out _));
        var badDay = await (await tom.PostAsJsonAsync($"/api/alerts/{id}/snooze", new { until = "2020-01-01" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badDay.GetProperty("errors").TryGetProperty("until", out _));

        var snoozed = await tom.PostAsJsonAsync($"/api/alerts/{id}/snooze", new { until = "2099-01-01", note = "After the sale closes." }).ExpectAsync(HttpStatusCode.OK);
        Assert.True(snoozed.GetProperty("snoozed").GetBoolean());
        var open = await tom.GetAsync($"/api/alerts?rule={Concentration}&household={key}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(open.GetProperty("items").EnumerateArray());
        var ofHousehold = await tom.GetAsync($"/api/households/{key}/alerts").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(ofHousehold.EnumerateArray(), a => a.GetProperty("id").GetInt64() == id && a.GetProperty("snoozed").GetBoolean());

        var resolved = await tom.PostAsJsonAsync($"/api/alerts/{id}/resolve", new { note = "Position sold down to 15%." }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("ByPerson", resolved.GetProperty("resolution").GetString());
        var timeline = await tom.GetAsync($"/api/households/{key}/timeline").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("resolve alert", timeline.GetRawText(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnAlertOfAHouseholdNotOnTheirTeam_IsNeitherListedNorReachable(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        await SheetAsync(app, ForeignHousehold.Key, ("portfolio.largest_position", 28));
        using var elena = await app.ClientAsAsync("elena");
        await elena.PostAsync("/api/advisory/run", null).ExpectAsync(HttpStatusCode.OK);
        var all = await elena.GetAsync($"/api/alerts?rule={Concentration}&household={ForeignHousehold.Key}").ExpectAsync(HttpStatusCode.OK);
        var id = Assert.Single(all.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64();

        using var tom = await app.ClientAsAsync("tom");
        var mine = await tom.GetAsync($"/api/alerts?rule={Concentration}&household={ForeignHousehold.Key}").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(mine.GetProperty("items").EnumerateArray());
        await (await tom.GetAsync($"/api/alerts/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await tom.PostAsync($"/api/alerts/{id}/acknowledge", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await tom.GetAsync($"/api/households/{ForeignHousehold.Key}/alerts")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await tom.PostAsync("/api/advisory/run", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await tom.GetAsync($"/api/alerts/{FirmQueries.Missing}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AFrameworkThatDoesNotTypeCheck_IsRefusedWithLineAndColumn_AndNothingChanges(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var before = await elena.GetStringAsync("/api/advisory/framework");
        var broken = before.Replace("when known(portfolio.largest_position) and portfolio.largest_position > 20%", "when portfolio.largest_position > $20", StringComparison.Ordinal);
        Assert.NotEqual(before, broken);

        using var put = await elena.PutAsync("/api/advisory/framework", new StringContent(broken, Encoding.UTF8, "text/plain"));
        var problem = await put.ExpectProblemAsync(HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.GetProperty("errors").GetProperty("framework").EnumerateArray()).GetString()!;
        var line = before[..before.IndexOf("portfolio.largest_position > 20%", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.Matches($@"^body:{line}:\d+: ", message);
        Assert.Equal(before, await elena.GetStringAsync("/api/advisory/framework"));

        using var tom = await app.ClientAsAsync("tom");
        await (await tom.PutAsync("/api/advisory/framework", new StringContent(before, Encoding.UTF8, "text/plain"))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var canvas = await tom.GetAsync("/api/advisory/canvas").ExpectAsync(HttpStatusCode.OK);
        Assert.True(canvas.GetArrayLength() >= 25);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TheAlertsPageAndTheHouseholdSection_ShowTheAlert_AndItsFormsActWithAntiForgery(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var key = await app.HouseholdOnTeamOfAsync("grace");
        await SheetAsync(app, key, ("portfolio.equity", 80), ("model.equity", 60));
        using (var elena = await app.ClientAsAsync("elena"))
        {
            await elena.PostAsync("/api/advisory/run", null).ExpectAsync(HttpStatusCode.OK);
        }

        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "grace");
        var list = await browser.GetStringAsync("/alerts?rule=investments.allocation-drift&category=investments&status=open");
        Assert.Contains("data-type=\"investments.allocation-drift/over-10\"", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/alerts\"", list, StringComparison.Ordinal);
        var household = await browser.GetStringAsync($"/households/{key}");
        var section = household[household.IndexOf("<section id=\"alerts\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("Allocation has drifted from the model", section, StringComparison.Ordinal);
        var id = Regex.Match(section, "data-alert=\"(\\d+)\" data-type=\"investments.allocation-drift/over-10\"").Groups[1].Value;
        Assert.NotEmpty(id);

        // Without the anti-forgery token the form is refused.
        using var forged = await browser.PostAsync($"/households/{key}/alerts", new FormUrlEncodedContent([new("id", id), new("act", "acknowledge")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var token = WebUtility.HtmlDecode(Regex.Match(section, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/households/{key}/alerts")
        {
            Content = new FormUrlEncodedContent([new("id", id), new("version", "0"), new("act", "acknowledge"), new("__RequestVerificationToken", token)]),
        };
        request.Headers.Add("X-Requested-With", "fetch");
        using var acted = await browser.SendAsync(request);
        var fragment = await acted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        Assert.StartsWith("<section id=\"alerts\"", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("Acknowledged: Allocation has drifted from the model", fragment, StringComparison.Ordinal);
    }

    /// <summary>Gives a household a fact sheet with just these facts, as consolidation would store it.</summary>
    private static async Task SheetAsync(EnsembleApp app, string key, params (string Fact, double Value)[] facts)
    {
        var sheet = FactSheet.Empty(FactCatalog.Default);
        foreach (var (fact, value) in facts)
        {
            sheet[FactCatalog.Default.Get(fact).Ordinal] = value;
        }

        await using var db = app.OpenDb();
        var id = await db.Households.Where(h => h.Key == key).Select(h => h.Id).SingleAsync();
        db.Actor = "web-tests";
        var row = await db.FactSheets.SingleOrDefaultAsync(s => s.HouseholdId == id);
        if (row is null)
        {
            db.FactSheets.Add(new FactSheetRow { HouseholdId = id, Sheet = FactSheet.Pack(sheet), ComputedAt = NodaTime.SystemClock.Instance.GetCurrentInstant() });
        }
        else
        {
            row.Sheet = FactSheet.Pack(sheet);
        }

        await db.SaveChangesAsync();
    }
}
