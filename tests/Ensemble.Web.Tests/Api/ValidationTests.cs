using System.Net;
using System.Net.Http.Json;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>Bad input is answered with a 400 ValidationProblem naming the field at fault, and changes nothing.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ValidationTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task SkipWithoutReason_IsAValidationProblemNamingReason(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var work = await app.StartTradeRequestAsync(await app.HouseholdOnTeamOfAsync("hannah"));
        using var assignee = await app.ClientAsAsync(work.Assignee);

        using var response = await assignee.PostAsJsonAsync($"/api/tasks/{work.FirstTask}/skip", new { });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
        Assert.Equal(WorkTaskStatus.Open, await app.TaskStatusAsync(work.FirstTask));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ListingHouseholdsWithLimitZero_IsAValidationProblemNamingLimit(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = await app.ClientAsAsync("elena");

        using var response = await elena.GetAsync("/api/households?limit=0");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
    }
}
