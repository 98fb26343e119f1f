using System.Net;
using System.Net.Http.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>A token issued through the API works until its owner revokes it, and not a request longer.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ApiTokenTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task RevokedToken_IsRefused(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var david = await app.ClientAsAsync("david");
        var issued = await david.PostAsJsonAsync("/api/tokens", new { name = "CRM sync" }).ExpectAsync(HttpStatusCode.Created);
        using var integration = app.Client(bearer: issued.GetProperty("token").GetString());
        var me = await integration.GetAsync("/api/me").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("david", me.GetProperty("handle").GetString());

        using var revoked = await david.DeleteAsync($"/api/tokens/{issued.GetProperty("id").GetInt64()}");
        using var after = await integration.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
