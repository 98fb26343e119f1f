using System.Net;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>"My tasks": the caller's own open work, soonest due first, a page at a time.</summary>
[Collection(WebAppCollection.Name)]
public sealed class MyTasksApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task MyTasks_ListsOnlyTheCallersOpenWork_SoonestDueFirst_AndALimitTakesTheFirstOfThem(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("hannah");
        var person = (await app.StartTradeRequestAsync(household)).Assignee;
        await app.StartTradeRequestAsync(household);
        using var client = await app.ClientAsAsync(person);

        var all = (await client.GetAsync("/api/tasks/mine?limit=500").ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var firstTwo = (await client.GetAsync("/api/tasks/mine?limit=2").ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();

        await using var db = app.OpenDb();
        var staffId = await db.Staff.Where(s => s.Handle == person).Select(s => s.Id).SingleAsync();
        var open = await db.Tasks.CountAsync(t => t.AssigneeId == staffId && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress));
        Assert.True(open >= 2, "Two trade requests give their assignee open work.");
        Assert.Equal(open, all.Count);
        Assert.All(all, t => Assert.Equal(person, t.GetProperty("assignee").GetString()));

        var order = all.Select(t => (Due: t.GetProperty("dueOn").GetString() ?? "9999-12-31", Id: t.GetProperty("id").Id())).ToList();
        Assert.Equal(order.OrderBy(t => t.Due, StringComparer.Ordinal).ThenBy(t => t.Id), order);
        Assert.Equal(all.Take(2).Select(t => t.GetProperty("id").Id()), firstTwo.Select(t => t.GetProperty("id").Id()));
    }
}
