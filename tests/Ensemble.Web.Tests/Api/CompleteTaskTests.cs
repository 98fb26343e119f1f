using System.Net;
using System.Net.Http.Json;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>Completing a task through the API moves the process on; doing it twice is refused, not an error.</summary>
[Collection(WebAppCollection.Name)]
public sealed class CompleteTaskTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task CompleteAsAssignee_ActivatesTheNextStep_AndCompletingAgainIsRefused(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var work = await app.StartTradeRequestAsync(await app.HouseholdOnTeamOfAsync("hannah"));
        using var assignee = await app.ClientAsAsync(work.Assignee);

        var done = await assignee.PostAsJsonAsync($"/api/tasks/{work.FirstTask}/complete", new { note = "Read back to the client." })
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Done", done.GetProperty("task").GetProperty("status").GetString());
        var activated = done.GetProperty("activated").EnumerateArray().ToList();
        Assert.Contains(activated, t => t.GetProperty("title").GetString() == "Check the account before trading");
        Assert.All(activated, t => Assert.Equal(work.Process, t.GetProperty("instanceId").Id()));
        Assert.False(done.GetProperty("processCompleted").GetBoolean());

        using var again = await assignee.PostAsJsonAsync($"/api/tasks/{work.FirstTask}/complete", new { });

        var refusal = await again.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already completed", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(WorkTaskStatus.Done, await app.TaskStatusAsync(work.FirstTask));
    }
}
