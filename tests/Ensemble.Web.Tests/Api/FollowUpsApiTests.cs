using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Consolidation;
using Ensemble.Storage;
using Ensemble.Storage.Consolidation;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>Follow-ups through the API and the pages: who sees which, the digest, the settings, the report.</summary>
[Collection(WebAppCollection.Name)]
public sealed class FollowUpsApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task ARunFollowsAlertsUp_ListedOnlyInHouseholdsTheCallerMaySee_AndOnTheHouseholdsOwnEndpoint(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var visible = await VisibleKeysAsync(app, "tom");
        var key = visible.Order(StringComparer.Ordinal).Last();
        await SheetAsync(app, key, ("portfolio.largest_position", 42));
        using var elena = await app.ClientAsAsync("elena");
        await elena.PostAsync("/api/advisory/run", null).ExpectAsync(HttpStatusCode.OK);

        using var tom = await app.ClientAsAsync("tom");
        var mine = await tom.GetAsync("/api/follow-ups?status=all&limit=500").ExpectAsync(HttpStatusCode.OK);
        Assert.All(mine.GetProperty("items").EnumerateArray(), f => Assert.Contains(f.GetProperty("householdKey").GetString()!, visible));
        var household = await tom.GetAsync($"/api/households/{key}/follow-ups").ExpectAsync(HttpStatusCode.OK);
        var followUp = household.GetProperty("followUps").EnumerateArray().First(f => f.GetProperty("type").GetString()!.StartsWith("investments.concentration", StringComparison.Ordinal));
        Assert.Equal(key, followUp.GetProperty("householdKey").GetString());
        Assert.False(string.IsNullOrWhiteSpace(followUp.GetProperty("reason").GetString()));
        var one = await tom.GetAsync($"/api/follow-ups/{followUp.GetProperty("id").GetInt64()}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(followUp.GetProperty("alertId").GetInt64(), one.GetProperty("alertId").GetInt64());

        // One of a household tom is not on is refused to him, and shown to the principal.
        var all = await elena.GetAsync("/api/follow-ups?status=all&limit=500").ExpectAsync(HttpStatusCode.OK);
        var foreign = all.GetProperty("items").EnumerateArray().FirstOrDefault(f => !visible.Contains(f.GetProperty("householdKey").GetString()!));
        if (foreign.ValueKind == JsonValueKind.Object)
        {
            using var refused = await tom.GetAsync($"/api/follow-ups/{foreign.GetProperty("id").GetInt64()}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Running again decides nothing new.
        var again = await elena.PostAsync("/api/follow-ups/run", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("decided").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TheDigestIsItsOwners_AndSettingsAndTheReportBelongToPracticeManagers(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");
        using var elena = await app.ClientAsAsync("elena");

        await tom.GetAsync("/api/follow-ups/digest").ExpectAsync(HttpStatusCode.OK);
        using (var others = await tom.GetAsync("/api/follow-ups/digest?person=elena"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        }

        await elena.GetAsync("/api/follow-ups/digest?person=tom").ExpectAsync(HttpStatusCode.OK);
        var settings = await tom.GetAsync("/api/follow-ups/settings").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5, settings.GetProperty("tasksPerPersonPerDay").GetInt32());
        using (var refused = await tom.PutAsJsonAsync("/api/follow-ups/settings", new { tasksPerPersonPerDay = 3 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var invalid = await (await elena.PutAsJsonAsync("/api/follow-ups/settings", new { tasksPerPersonPerDay = 500, responseDays = 0 })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("tasksPerPersonPerDay", out _), invalid.ToString());
        Assert.True(invalid.GetProperty("errors").TryGetProperty("responseDays", out _), invalid.ToString());

        var report = await elena.GetAsync("/api/reports/follow-ups?days=30").ExpectAsync(HttpStatusCode.OK);
        Assert.True(report.GetProperty("definitions").GetArrayLength() >= 4);
        using var csv = await elena.GetAsync("/api/reports/follow-ups.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Alert type,Title,Variant,Channel,Raised", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var tomsReport = await tom.GetAsync("/api/reports/follow-ups");
        Assert.Equal(HttpStatusCode.Forbidden, tomsReport.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task BadFilters_AreValidationProblemsNamingEachField(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");

        var problem = await (await tom.GetAsync("/api/follow-ups?status=whenever&channel=pigeon&household=HH-NOPE&person=nobody")).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.All(new[] { "status", "channel", "household", "person" }, field => Assert.True(errors.TryGetProperty(field, out _), problem.ToString()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ThePagesShowMyDigestTheHouseholdsFollowUpsAndTheReport(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var key = await app.HouseholdOnTeamOfAsync("tom");
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "tom");

        var page = await browser.GetStringAsync("/follow-ups");
        Assert.Contains("id=\"h-digest\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/follow-ups\"", page, StringComparison.Ordinal);
        var household = await browser.GetStringAsync($"/households/{key}");
        Assert.Contains("<section id=\"follow-ups\"", household, StringComparison.Ordinal);
        using var report = await browser.GetAsync("/follow-ups/report");
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);

        using var principal = app.Browser();
        await SignInForm.SignInAsync(principal, "elena");
        var whole = await principal.GetStringAsync("/follow-ups?view=all");
        Assert.Contains("the message compliance approved for its alert", whole, StringComparison.Ordinal);
        Assert.Contains("How the figures are counted", await principal.GetStringAsync("/follow-ups/report"), StringComparison.Ordinal);
    }

    private static async Task<HashSet<string>> VisibleKeysAsync(EnsembleApp app, string handle)
    {
        await using var db = app.OpenDb();
        var staff = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        var teams = await db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId != null).ToListAsync();
        var ids = teams.Where(a => a.CoverageOrder().Contains(staff)).Select(a => a.HouseholdId!.Value).ToHashSet();
        return (await db.Households.AsNoTracking().Select(h => new { h.Id, h.Key }).ToListAsync()).Where(h => ids.Contains(h.Id)).Select(h => h.Key).ToHashSet();
    }

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
