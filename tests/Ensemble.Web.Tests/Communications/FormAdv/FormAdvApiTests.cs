using System.Net;
using Ensemble.Communications.FormAdv;
using Ensemble.Households;
using Ensemble.Storage;
using Ensemble.Web.Tests.Communications.Archive;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Communications.FormAdv;

/// <summary>Form ADV delivery through the API and its page: compliance and the principal see who is still owed it.</summary>
[Collection(WebAppCollection.Name)]
public sealed class FormAdvApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Status_CountsTheClients_AndAHouseholdSentItsFormAdvIsNoLongerOwed(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await UnsentClientAsync(app);
        using var omar = await app.ClientAsAsync("omar");
        var before = await omar.GetAsync("/api/form-adv?outstanding=true").ExpectAsync(HttpStatusCode.OK);
        var owedBefore = Keys(before);

        var id = await ArchiveMessages.SentAsync(app, household, "Our Form ADV brochure", kind: FormAdvYear.Kind);
        var after = await omar.GetAsync("/api/form-adv").ExpectAsync(HttpStatusCode.OK);

        Assert.Contains(household, owedBefore);
        var line = after.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("householdKey").GetString() == household);
        Assert.Contains(line.GetProperty("stateName").GetString(), new[] { "delivered", "delivered-late" });
        Assert.Equal(id, line.GetProperty("messageId").GetInt64());
        Assert.Equal(after.GetProperty("clients").GetInt32(), after.GetProperty("lines").GetArrayLength());
        Assert.DoesNotContain(household, Keys(await omar.GetAsync("/api/form-adv?outstanding=true").ExpectAsync(HttpStatusCode.OK)));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Status_IsForThoseWhoSeeTheWholeFirm_AndComesAsCsv(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var grace = await app.ClientAsAsync("grace");
        using var elena = await app.ClientAsAsync("elena");

        using var refused = await grace.GetAsync("/api/form-adv");
        using var csv = await elena.GetAsync("/api/form-adv/status.csv?outstanding=true");
        using var badYear = await elena.GetAsync("/api/form-adv?year=3000");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Fiscal year,Fiscal year end,Deadline,Household", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var problem = await badYear.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("year", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Page_ShowsTheDeadlineAndWhoIsOwed_ToCompliance(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "omar");

        using var page = await browser.GetAsync("/form-adv");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("deliver by", html, StringComparison.Ordinal);
        Assert.Contains("/api/form-adv/status.csv", html, StringComparison.Ordinal);
    }

    /// <summary>A client household no Form ADV message has been sent to, whatever other tests did before.</summary>
    private static async Task<string> UnsentClientAsync(EnsembleApp app)
    {
        await using var db = app.OpenDb();
        var sent = await db.Outbox.Where(m => m.Kind == FormAdvYear.Kind && m.HouseholdId != null).Select(m => m.HouseholdId).Distinct().ToListAsync();
        var clients = await db.Households.Where(h => h.Stage == LifecycleStage.Client).OrderBy(h => h.Key).Select(h => new { h.Id, h.Key }).ToListAsync();
        return clients.First(c => !sent.Contains(c.Id)).Key;
    }

    private static HashSet<string> Keys(System.Text.Json.JsonElement report) =>
        report.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("householdKey").GetString()!).ToHashSet();
}
