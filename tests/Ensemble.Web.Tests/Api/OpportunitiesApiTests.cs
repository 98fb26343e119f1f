using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>The opportunity pipeline over HTTP: versions and If-Match, field-level validation, who sees what.</summary>
[Collection(WebAppCollection.Name)]
public sealed class OpportunitiesApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task ReviseWithAStaleETag_IsPreconditionFailed_AndChangesNothing_WhileTheCurrentOneSucceeds(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("tom");
        using var tom = await app.ClientAsAsync("tom");
        var (id, etag) = await OpenAsync(tom, household, $"Rollover {Guid.NewGuid():N}");

        using var current = await tom.SendAsync(Put(household, id, etag, 310_000m));
        var revised = await current.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(310_000m, revised.GetProperty("estimatedAssets").GetDecimal());
        Assert.NotEqual(etag, current.Headers.ETag?.ToString());

        using var stale = await tom.SendAsync(Put(household, id, etag, 999_000m));
        await stale.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        using var staleMove = new HttpRequestMessage(HttpMethod.Post, $"/api/households/{household}/opportunities/{id}/stage") { Content = JsonContent.Create(new { stage = "won" }) };
        staleMove.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await tom.SendAsync(staleMove)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var read = await tom.GetAsync($"/api/households/{household}/opportunities/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(310_000m, read.GetProperty("estimatedAssets").GetDecimal());
        Assert.Equal("Identified", read.GetProperty("stage").GetString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task OpenWithBadInput_IsAValidationProblemNamingEachField_AndOpensNothing(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("tom");
        using var tom = await app.ClientAsAsync("tom");
        var before = await CountAsync(app, household);

        using var response = await tom.PostAsJsonAsync($"/api/households/{household}/opportunities",
            new { kind = "annuity", title = "", estimatedAssets = -5m, ownerRole = "rainmaker", expectedClose = "someday" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["estimatedAssets", "expectedClose", "kind", "ownerRole", "title"], fields);
        Assert.Equal(before, await CountAsync(app, household));

        using var move = await tom.PostAsJsonAsync($"/api/households/{household}/opportunities/1/stage", new { stage = "signed" });
        Assert.True((await move.ExpectProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("stage", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AProspectsOpportunity_StartsAtIntroduction_AndMovingToWonClosesItWithItsHistory(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var key = $"HH-OPP-{Guid.NewGuid():N}"[..16];
        await elena.PostAsJsonAsync("/api/households", new { key, name = "The Pipeline Test Household", stage = "Prospect" }).ExpectAsync(HttpStatusCode.Created);

        var (id, _) = await OpenAsync(elena, key, "New client relationship");
        var opened = await elena.GetAsync($"/api/households/{key}/opportunities/{id}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Introduction", opened.GetProperty("stage").GetString());

        var won = await elena.PostAsJsonAsync($"/api/households/{key}/opportunities/{id}/stage", new { stage = "won", note = "Agreement signed" }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("Won", "Agreement signed"), (won.GetProperty("stage").GetString(), won.GetProperty("note").GetString()));
        Assert.NotEqual(JsonValueKind.Null, won.GetProperty("closedAt").ValueKind);
        var change = Assert.Single(won.GetProperty("history").EnumerateArray());
        Assert.Equal(("Introduction", "Won", "elena"), (change.GetProperty("from").GetString(), change.GetProperty("to").GetString(), change.GetProperty("by").GetString()));

        var list = await elena.GetAsync($"/api/households/{key}/opportunities?open=true").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.EnumerateArray());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AForeignHouseholdsOpportunities_AreForbidden_AndLeftOutOfThePipeline(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        using var tom = await app.ClientAsAsync("tom");
        var title = $"Outsider business {Guid.NewGuid():N}";
        var (id, _) = await OpenAsync(elena, ForeignHousehold.Key, title);

        await (await tom.GetAsync($"/api/households/{ForeignHousehold.Key}/opportunities")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await tom.PostAsJsonAsync($"/api/households/{ForeignHousehold.Key}/opportunities/{id}/stage", new { stage = "lost" })).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.DoesNotContain(title, await TitlesAsync(tom, "/api/opportunities?limit=500"));
        Assert.Contains(title, await TitlesAsync(elena, "/api/opportunities?limit=500&kind=rollover"));
        Assert.DoesNotContain(title, await TitlesAsync(elena, "/api/opportunities?limit=500&kind=insurance"));

        // Under another household's key, even an existing opportunity is not found.
        var own = await app.HouseholdOnTeamOfAsync("tom");
        await (await tom.GetAsync($"/api/households/{own}/opportunities/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ThePipelineReport_IsForPracticeManagement_AsJsonAndCsv_WithItsPeriodChecked(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        using var tom = await app.ClientAsAsync("tom");

        var report = await elena.GetAsync("/api/reports/pipeline").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(7, report.GetProperty("value").GetArrayLength());
        Assert.Equal(5, report.GetProperty("conversion").GetArrayLength());
        Assert.Equal(5, report.GetProperty("timeInStage").GetArrayLength());

        using var csv = await elena.GetAsync("/api/reports/pipeline.csv?from=2026-01-01&to=2026-06-30");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("pipeline-2026-01-01-to-2026-06-30.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("Stage,Opportunities,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var bad = await (await elena.GetAsync("/api/reports/pipeline?from=2026-13-01&to=2026-01-01")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("from", out _), bad.ToString());
        await (await tom.GetAsync("/api/reports/pipeline")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<(long Id, string ETag)> OpenAsync(HttpClient client, string household, string title)
    {
        using var response = await client.PostAsJsonAsync($"/api/households/{household}/opportunities",
            new { kind = "rollover", title, estimatedAssets = 250_000m, estimatedRevenue = 2_500m, ownerRole = "wealth-partner", expectedClose = "2030-02-01" });
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var etag = response.Headers.ETag?.ToString();
        Assert.False(string.IsNullOrEmpty(etag), "Opening an opportunity sends no ETag.");
        Assert.EndsWith($"/opportunities/{body.GetProperty("id").GetInt64()}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        return (body.GetProperty("id").GetInt64(), etag!);
    }

    private static HttpRequestMessage Put(string household, long id, string ifMatch, decimal assets)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/households/{household}/opportunities/{id}")
        {
            Content = JsonContent.Create(new { kind = "rollover", title = "Roll over both old 401(k)s", estimatedAssets = assets, estimatedRevenue = 3_100m, ownerRole = "financial-advisor" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static async Task<List<string>> TitlesAsync(HttpClient client, string path)
    {
        var page = await client.GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
    }

    private static async Task<int> CountAsync(EnsembleApp app, string household)
    {
        await using var db = app.OpenDb();
        return await db.Opportunities.AsNoTracking().CountAsync(o => db.Households.Any(h => h.Key == household && h.Id == o.HouseholdId));
    }
}
