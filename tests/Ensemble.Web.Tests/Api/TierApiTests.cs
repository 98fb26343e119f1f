using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>A household's tier through the API: explained, overridden with a reason by the principal, and the firm's model guarded against gaps.</summary>
[Collection(WebAppCollection.Name)]
public sealed class TierApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task TierOfAnOwnHousehold_ExplainsAllEightCriteria(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");
        var key = await app.HouseholdOnTeamOfAsync("tom");

        var tier = await tom.GetAsync($"/api/households/{key}/tier").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(8, tier.GetProperty("criteria").GetArrayLength());
        Assert.Equal(5, tier.GetProperty("requiredCriteria").GetInt32());
        Assert.Contains(tier.GetProperty("explanation").EnumerateArray(), l => l.GetString()!.Contains("criteria (needs 5)", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Override_WithoutAReason_IsRefusedNamingTheField_AndWithOneIsInForceAndAudited(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var key = await app.HouseholdOnTeamOfAsync("tom");

        var refused = await elena.PutAsJsonAsync($"/api/households/{key}/tier/override", new { tier = "A" });
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));

        var set = await elena.PutAsJsonAsync($"/api/households/{key}/tier/override", new { tier = "A", reason = "Business sale closing in March", until = "2099-12-31" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("A", set.GetProperty("tier").GetString());
        Assert.Equal("Business sale closing in March", set.GetProperty("override").GetProperty("reason").GetString());

        var cleared = await elena.DeleteAsync($"/api/households/{key}/tier/override").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("override").ValueKind);
        await using var db = app.OpenDb();
        Assert.True(await db.AuditEvents.CountAsync(e => e.EntityType == "HouseholdTier" && e.Actor == "elena" && e.Operation == "override-tier") >= 1);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ServiceModel_WithAGapBetweenBands_IsRefusedNamingWhere_AndTheOldModelStays(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var current = await (await elena.GetAsync("/api/service-model")).Content.ReadAsStringAsync();
        var gap = current.Replace("\"below\": 2000000", "\"below\": 1500000", StringComparison.Ordinal);
        Assert.NotEqual(current, gap);

        using var content = new StringContent(gap, Encoding.UTF8, "application/json");
        var problem = await (await elena.PutAsync("/api/service-model", content)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("tierModel.b.netWorth.below", out var message));
        Assert.Contains("gap", message[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(current, await (await elena.GetAsync("/api/service-model")).Content.ReadAsStringAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ServiceModel_ThatIsNotJson_IsRefusedWithLineAndColumn(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");

        using var content = new StringContent("{\n  \"tierModel\": {\n    \"requiredCriteria\": five\n", Encoding.UTF8, "application/json");
        var problem = await (await elena.PutAsync("/api/service-model", content)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        var text = problem.GetProperty("errors").ToString();
        Assert.Contains("3:", text, StringComparison.Ordinal);
    }
}
