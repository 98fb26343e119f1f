using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Consolidation;

/// <summary>The household page's "Facts and sources" section and its resolve form, as a browser uses them.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class FactsAndSourcesPageTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task TheHouseholdPage_ShowsFactsWithTheirSource_AndItsFormResolvesADiscrepancy(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("tom");
        using (var elena = await app.ClientAsAsync("elena"))
        {
            foreach (var (source, value) in new[] { ("planning", "410000"), ("crm", "455000") })
            {
                using var content = new StringContent($$$"""[{"household": "{{{household}}}", "facts": {"net_worth": {{{value}}}}}]""", Encoding.UTF8, "application/json");
                Assert.Equal(HttpStatusCode.OK, (await elena.PostAsync($"/api/sources/{source}/values", content)).StatusCode);
            }
        }

        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "tom");
        var page = await (await browser.GetAsync($"/households/{household}")).Content.ReadAsStringAsync();
        Assert.Contains("Facts and sources", page, StringComparison.Ordinal);
        Assert.Contains("410,000.00", page, StringComparison.Ordinal);
        var form = ResolveForm().Matches(page).Single(m => m.Value.Contains("crm (455,000.00)", StringComparison.Ordinal));
        var token = WebUtility.HtmlDecode(Token().Match(form.Value).Groups["value"].Value);

        using var posted = await browser.PostAsync(WebUtility.HtmlDecode(form.Groups["action"].Value), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["source"] = "crm",
            ["value"] = "",
            ["__RequestVerificationToken"] = token,
        }));
        var after = await (await browser.GetAsync($"/households/{household}")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("chose crm", after, StringComparison.Ordinal);
        Assert.Contains("crm (chosen by tom)", after, StringComparison.Ordinal);
        await using var db = app.OpenDb();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.EntityType == "Discrepancy" && e.Actor == "tom" && e.Operation == "resolve-discrepancy"));
    }

    [GeneratedRegex("<form[^>]*action=\"(?<action>/households/[^\"]*/discrepancies/[0-9]+/resolve)\"[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex ResolveForm();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Token();
}
