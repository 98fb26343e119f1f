using System.Net;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Communications.Archive;

/// <summary>The archive pages and the household page's messages section, as a signed-in browser sees them.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ArchivePagesTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task ArchivePage_FindsMyHouseholdsMessage_AndItsPageShowsTheRecord(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var subject = $"Year-end planning note {Guid.NewGuid():N}"[..40];
        var household = await app.HouseholdOnTeamOfAsync("leo");
        var id = await ArchiveMessages.SentAsync(app, household, subject);
        var foreign = await ArchiveMessages.SentAsync(app, ForeignHousehold.Key, "Not for leo");
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "leo");

        var search = await (await browser.GetAsync($"/archive?text={Uri.EscapeDataString(subject)}")).Content.ReadAsStringAsync();
        using var one = await browser.GetAsync($"/archive/{id}");
        var record = await one.Content.ReadAsStringAsync();
        using var refused = await browser.GetAsync($"/archive/{foreign}");

        Assert.Contains($"href=\"/archive/{id}\"", search, StringComparison.Ordinal);
        Assert.Contains("1 message", search, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Contains(subject, record, StringComparison.Ordinal);
        Assert.Contains("Message-ID", record, StringComparison.Ordinal);
        Assert.Contains("the database refuses to delete it before then", record, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task HouseholdPage_ListsWhatWasSentToTheHousehold(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("grace");
        var subject = $"Invitation to the client event {Guid.NewGuid():N}"[..45];
        var id = await ArchiveMessages.SentAsync(app, household, subject);
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "grace");

        var page = await (await browser.GetAsync($"/households/{household}")).Content.ReadAsStringAsync();

        Assert.Contains("id=\"h-messages\"", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/archive/{id}\">{subject}</a>", page, StringComparison.Ordinal);
        Assert.Contains($"/api/households/{household}/messages/export", page, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SettingsPage_IsForThePrincipal(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var elena = app.Browser();
        await SignInForm.SignInAsync(elena, "elena");
        using var tom = app.Browser();
        await SignInForm.SignInAsync(tom, "tom");

        using var allowed = await elena.GetAsync("/archive/settings");
        using var refused = await tom.GetAsync("/archive/settings");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("Fiscal year end", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
