using System.Net;
using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>The household page's "Occasions and contacts" section and its life event form, as a browser uses them.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class HouseholdContactsPageTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task TheHouseholdPage_ShowsOccasions_AndItsFormRecordsALifeEvent(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("grace");
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "grace");

        var page = await (await browser.GetAsync($"/households/{household}")).Content.ReadAsStringAsync();
        Assert.Contains("Occasions and contacts", page, StringComparison.Ordinal);
        var form = LifeEventForm().Match(page);
        Assert.True(form.Success, "The page has no life event form.");
        var token = WebUtility.HtmlDecode(Token().Match(form.Value).Groups["value"].Value);

        using var posted = await browser.PostAsync(WebUtility.HtmlDecode(form.Groups["action"].Value), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "promotion",
            ["on"] = "2026-11-16",
            ["member"] = "",
            ["note"] = "Made partner",
            ["__RequestVerificationToken"] = token,
        }));
        var after = await (await browser.GetAsync($"/households/{household}")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("Made partner", after, StringComparison.Ordinal);
        Assert.Contains("Recorded;", after, StringComparison.Ordinal);
        await using var db = app.OpenDb();
        Assert.True(await db.LifeEvents.AnyAsync(e => e.Note == "Made partner" && e.RecordedBy == "grace"));
    }

    [GeneratedRegex("<form[^>]*action=\"(?<action>/households/[^\"]*/life-events)\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex LifeEventForm();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Token();
}
