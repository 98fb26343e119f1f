using System.Net;
using System.Net.Http.Json;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Api;

/// <summary>A write carrying If-Match applies only to the version of the task the caller read.</summary>
[Collection(WebAppCollection.Name)]
public sealed class IfMatchTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task CompleteWithStaleETag_IsPreconditionFailed_AndWithTheCurrentOneSucceeds(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var work = await app.StartTradeRequestAsync(await app.HouseholdOnTeamOfAsync("hannah"));
        using var assignee = await app.ClientAsAsync(work.Assignee);
        using var read = await assignee.GetAsync($"/api/tasks/{work.FirstTask}");
        await read.ExpectAsync(HttpStatusCode.OK);
        var etag = read.Headers.ETag?.ToString();
        Assert.False(string.IsNullOrEmpty(etag), "GET /api/tasks/{id} sends no ETag.");

        using var stale = await assignee.SendAsync(Complete(work.FirstTask, "\"stale-version\""));

        await stale.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(WorkTaskStatus.Open, await app.TaskStatusAsync(work.FirstTask));

        using var current = await assignee.SendAsync(Complete(work.FirstTask, etag!));

        await current.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(WorkTaskStatus.Done, await app.TaskStatusAsync(work.FirstTask));
    }

    private static HttpRequestMessage Complete(long task, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{task}/complete") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }
}
