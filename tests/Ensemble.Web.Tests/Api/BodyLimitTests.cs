using System.Net;
using System.Text;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>Kestrel refuses request bodies over 1 MB before the app reads them.</summary>
[Collection(WebAppCollection.Name)]
public sealed class BodyLimitTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task BodyOfTwoMegabytes_IsRefusedAsTooLarge(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");
        var key = $"HH-BIG-{Guid.NewGuid():N}"[..16];
        var body = $$"""{"key":"{{key}}","name":"{{new string('x', 2 * 1024 * 1024)}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/households") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        // Like curl: ask before sending the body, so the refusal arrives instead of a reset connection.
        request.Headers.ExpectContinue = true;
        using var response = await elena.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await app.HouseholdCountAsync(key));
    }
}
