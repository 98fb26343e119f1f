using System.Net;
using System.Net.Http.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>Asking for something that does not exist is a 404 ProblemDetails, never a 500 or an empty 200.</summary>
[Collection(WebAppCollection.Name)]
public sealed class NotFoundTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task UnknownHouseholdKey_IsNotFound(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");

        using var response = await tom.GetAsync("/api/households/HH-NO-SUCH");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UnknownTaskId_IsNotFound_ForReadsAndWrites(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");

        using var read = await tom.GetAsync($"/api/tasks/{FirmQueries.Missing}");
        using var write = await tom.PostAsJsonAsync($"/api/tasks/{FirmQueries.Missing}/complete", new { });

        await read.ExpectProblemAsync(HttpStatusCode.NotFound);
        await write.ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
