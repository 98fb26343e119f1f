using System.Net;
using System.Text;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>A POST retried with the same Idempotency-Key gets the first answer again and changes nothing more.</summary>
[Collection(WebAppCollection.Name)]
public sealed class IdempotencyTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task AddHouseholdRetriedWithTheSameKey_ReplaysTheFirstAnswer_AndAddsOnce(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var idempotencyKey = Guid.NewGuid().ToString();
        var household = NewKey();

        using var first = await elena.SendAsync(AddHousehold(idempotencyKey, household, "The Retry Household"));
        using var second = await elena.SendAsync(AddHousehold(idempotencyKey, household, "The Retry Household"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1, await app.HouseholdCountAsync(household));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TheSameKeyForADifferentRequest_IsUnprocessable(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var idempotencyKey = Guid.NewGuid().ToString();
        var (one, other) = (NewKey(), NewKey());

        using var first = await elena.SendAsync(AddHousehold(idempotencyKey, one, "The First Household"));
        using var reused = await elena.SendAsync(AddHousehold(idempotencyKey, other, "Another Household"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await reused.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await app.HouseholdCountAsync(other));
    }

    private static string NewKey() => $"HH-I-{Guid.NewGuid():N}"[..16];

    private static HttpRequestMessage AddHousehold(string idempotencyKey, string key, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/households")
        {
            Content = new StringContent($$"""{"key":"{{key}}","name":"{{name}}","stage":"Prospect"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }
}
