using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Consolidation;

/// <summary>Data sources through the API: a household's facts with lineage, values pushed by an integration, and discrepancies resolved.</summary>
[Collection(WebAppCollection.Name)]
public sealed class SourcesApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Facts_ShowEachValueWithItsSourceAndLineage_AndWhatEverySourceSays(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");
        var key = await app.HouseholdOnTeamOfAsync("tom");

        var facts = await tom.GetAsync($"/api/households/{key}/facts").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(key, facts.GetProperty("household").GetString());
        var birth = facts.GetProperty("facts").EnumerateArray().Single(f => f.GetProperty("fact").GetString() == "client.birth_date");
        Assert.Equal("crm", birth.GetProperty("source").GetString());
        Assert.NotEqual(JsonValueKind.Null, birth.GetProperty("verifiedAt").ValueKind);
        Assert.Contains(birth.GetProperty("sources").EnumerateArray(), s => s.GetProperty("file").GetString() == "crm-export.csv");
        Assert.Contains(facts.GetProperty("derived").EnumerateArray(), d => d.GetProperty("fact").GetString() == "client.age" && d.GetProperty("number").ValueKind == JsonValueKind.Number);
        Assert.True(facts.GetProperty("known").GetInt32() > 0);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task PushedValues_AreConsolidatedOnce_AndARetryWithTheSameKeyIsReplayed(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var key = await app.HouseholdOnTeamOfAsync("tom");
        var body = $$$"""[{"household": "{{{key}}}", "verified_at": "2026-11-01", "facts": {"income": "987,654.32", "will.exists": true}}]""";
        var idempotencyKey = Guid.NewGuid().ToString();
        await elena.SendAsync(Push("planning", $$$"""[{"household": "{{{key}}}", "facts": {"income": 900000}}]""", null)).ExpectAsync(HttpStatusCode.OK);

        var first = await elena.SendAsync(Push("crm", body, idempotencyKey)).ExpectAsync(HttpStatusCode.OK);
        await using (var db = app.OpenDb())
        {
            var imports = await db.SourceImports.CountAsync();
            using var retry = await elena.SendAsync(Push("crm", body, idempotencyKey));
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
            Assert.Equal(imports, await db.SourceImports.CountAsync());
        }

        Assert.Equal(1, first.GetProperty("entries").GetInt32());
        var facts = await elena.GetAsync($"/api/households/{key}/facts").ExpectAsync(HttpStatusCode.OK);
        var income = facts.GetProperty("facts").EnumerateArray().Single(f => f.GetProperty("fact").GetString() == "income");
        Assert.Contains(income.GetProperty("sources").EnumerateArray(), s => s.GetProperty("source").GetString() == "crm" && s.GetProperty("value").GetString() == "987,654.32");
        Assert.Contains(income.GetProperty("sources").EnumerateArray(), s => s.GetProperty("file").GetString() == "api");

        // Planning ranks above the CRM for income, so the planning value stands and the two now disagree.
        var open = await elena.GetAsync($"/api/households/{key}/discrepancies").ExpectAsync(HttpStatusCode.OK);
        var discrepancy = open.EnumerateArray().Single(d => d.GetProperty("fact").GetString() == "income");
        var resolved = await elena.PostAsJsonAsync($"/api/households/{key}/discrepancies/{discrepancy.GetProperty("id").GetInt64()}/resolve", new { source = "crm" })
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("chose crm", resolved.GetProperty("resolution").GetString());
        facts = await elena.GetAsync($"/api/households/{key}/facts").ExpectAsync(HttpStatusCode.OK);
        income = facts.GetProperty("facts").EnumerateArray().Single(f => f.GetProperty("fact").GetString() == "income");
        Assert.Equal(("987,654.32", "crm", "elena"), (income.GetProperty("value").GetString(), income.GetProperty("source").GetString(), income.GetProperty("chosenBy").GetString()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AMalformedPush_NamesEveryProblemWithLineAndColumn_AndAppliesNothing(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        using var tom = await app.ClientAsAsync("tom");
        var key = await app.HouseholdOnTeamOfAsync("tom");
        var body = $$$"""
            [
              {"household": "{{{key}}}", "facts": {"income": "lots", "members": 3}},
              {"household": "HH-NOPE", "facts": {"cash": 100}}
            ]
            """;
        await using var db = app.OpenDb();
        var values = await db.SourceValues.CountAsync();

        var problem = await (await elena.SendAsync(Push("planning", body, null))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var refused = await tom.SendAsync(Push("planning", body, null));

        var errors = problem.GetProperty("errors");
        Assert.StartsWith("body:2:", errors.GetProperty("income")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("is worked out by Ensemble", errors.GetProperty("members")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("HH-NOPE", errors.GetProperty("household")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(values, await db.SourceValues.CountAsync());
    }

    private static HttpRequestMessage Push(string source, string body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sources/{source}/values") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }
}
