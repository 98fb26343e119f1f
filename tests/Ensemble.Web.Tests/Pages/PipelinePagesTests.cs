using System.Net;
using System.Text.RegularExpressions;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Pages;

/// <summary>The pipeline in the browser: the household page's opportunities section and its forms, and the /pipeline board.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class PipelinePagesTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task TheHouseholdPage_OpensAndMovesAnOpportunity_InPlaceAndWithoutScript(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var key = await app.HouseholdOnTeamOfAsync("tom");
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "tom");
        var page = await browser.GetStringAsync($"/households/{key}");
        Assert.Contains("id=\"opportunities\"", page, StringComparison.Ordinal);
        var token = Token(page);
        var title = $"Annuity exchange review {Guid.NewGuid():N}"[..40];

        // With script: the section comes back in place, naming each field at fault.
        using var refused = await PostAsync(browser, $"/households/{key}/opportunities?handler=Open", token, fetch: true,
            ("kind", "planning"), ("title", ""), ("estimatedAssets", "lots"), ("ownerRole", "wealth-partner"));
        var fragment = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.StartsWith("<section id=\"opportunities\"", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("id=\"e-title\"", fragment, StringComparison.Ordinal);
        Assert.Contains("&quot;lots&quot; is not a number.", fragment, StringComparison.Ordinal);

        using var opened = await PostAsync(browser, $"/households/{key}/opportunities?handler=Open", token, fetch: true,
            ("kind", "planning"), ("title", title), ("estimatedAssets", "120,000"), ("estimatedRevenue", "1500"), ("ownerRole", "financial-advisor"), ("expectedClose", ""));
        var after = await opened.Content.ReadAsStringAsync();
        Assert.Contains(title, after, StringComparison.Ordinal);
        Assert.Contains("role=\"status\"", after, StringComparison.Ordinal);
        var id = OpportunityId(after, title);

        // Without script: the browser goes back to the household page at the section.
        using var moved = await PostAsync(browser, $"/households/{key}/opportunities?handler=Move", token, fetch: false, ("id", id), ("version", "0"), ("stage", "proposal"), ("note", "Draft sent"));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal($"/households/{key}#opportunities", moved.Headers.Location?.ToString());
        var reloaded = await browser.GetStringAsync($"/households/{key}");
        var section = reloaded[reloaded.IndexOf("<section id=\"opportunities\"", StringComparison.Ordinal)..];
        Assert.Contains("is now at Proposal.", section[..section.IndexOf("</section>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ThePipelinePage_ShowsTheBoardToEveryone_AndTheReportToThoseWhoSeeTheWholeFirm(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = app.Browser();
        await SignInForm.SignInAsync(tom, "tom");
        using var elena = app.Browser();
        await SignInForm.SignInAsync(elena, "elena");

        var board = await tom.GetStringAsync("/pipeline?stage=&kind=&closed=true");
        Assert.Contains("<h2 id=\"h-board\">By stage</h2>", board, StringComparison.Ordinal);
        Assert.Contains("id=\"lane-lost\"", board, StringComparison.Ordinal);
        Assert.DoesNotContain("Conversion between stages", board, StringComparison.Ordinal);

        var full = await elena.GetStringAsync("/pipeline?from=2026-01-01&to=2026-12-31");
        Assert.Contains("Conversion between stages", full, StringComparison.Ordinal);
        Assert.Contains("/api/reports/pipeline.csv?from=2026-01-01&amp;to=2026-12-31", full, StringComparison.Ordinal);

        using var wrong = await elena.GetAsync("/pipeline?stage=signed");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("&quot;signed&quot; is not a stage", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string token, bool fetch, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token))),
        };
        if (fetch)
        {
            request.Headers.Add("X-Requested-With", "fetch");
        }

        return await browser.SendAsync(request);
    }

    private static string Token(string html)
    {
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "The page carries no anti-forgery token.");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    private static string OpportunityId(string html, string title)
    {
        var at = html.IndexOf($"<strong>{title}</strong>", StringComparison.Ordinal);
        var item = html.LastIndexOf("data-opportunity=\"", at, StringComparison.Ordinal) + "data-opportunity=\"".Length;
        return html[item..html.IndexOf('"', item)];
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex TokenInput();
}
