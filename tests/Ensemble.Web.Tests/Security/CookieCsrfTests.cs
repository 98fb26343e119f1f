using System.Net;
using System.Net.Http.Json;
using Ensemble.Processes.Running;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Security;

/// <summary>
/// A browser sends the session cookie with any request, including one forged by another site; a state-changing
/// API call made with the cookie therefore needs the anti-forgery token in X-CSRF-TOKEN.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class CookieCsrfTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task CookieSessionPostWithoutCsrfHeader_IsRefused_AndTheTaskStaysOpen(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var work = await app.StartTradeRequestAsync(await app.HouseholdOnTeamOfAsync("hannah"));
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, work.Assignee);
        var me = await browser.GetAsync("/api/me").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(work.Assignee, me.GetProperty("handle").GetString());

        using var forged = await browser.PostAsJsonAsync($"/api/tasks/{work.FirstTask}/complete", new { });

        var problem = await forged.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("anti-forgery", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(WorkTaskStatus.Open, await app.TaskStatusAsync(work.FirstTask));
    }
}
