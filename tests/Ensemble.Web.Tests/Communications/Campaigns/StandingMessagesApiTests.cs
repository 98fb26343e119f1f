using System.Net;
using System.Net.Http.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Communications.Campaigns;

/// <summary>Standing alert follow-up messages over HTTP and on the canvas: written for a rule, approved by compliance, never sent as a whole.</summary>
[Collection(WebAppCollection.Name)]
public sealed class StandingMessagesApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task AStandingMessage_NamesARuleNotAnAudience_IsApprovedByCompliance_AndIsRefusedASend(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var david = await app.ClientAsAsync("david");
        using var omar = await app.ClientAsAsync("omar");

        var unknown = await (await david.PostAsJsonAsync("/api/campaigns", Message("tax.no-such-rule"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("alertRule", out _), unknown.ToString());
        var withAudience = await (await david.PostAsJsonAsync("/api/campaigns", new { name = "x", kind = "alert-follow-up", subject = "s", body = "b", alertRule = "tax.loss-harvesting", tiers = new[] { "A" } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(withAudience.GetProperty("errors").TryGetProperty("audience", out _), withAudience.ToString());

        var created = await david.PostAsJsonAsync("/api/campaigns", Message("tax.loss-harvesting")).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(("alert-follow-up", "tax.loss-harvesting", false), (created.GetProperty("kind").GetString(), created.GetProperty("alertRule").GetString(), created.GetProperty("inForce").GetBoolean()));
        await david.PostAsync($"/api/campaigns/{id}/submit", null).ExpectAsync(HttpStatusCode.OK);
        var approved = await omar.PostAsJsonAsync($"/api/campaigns/{id}/review", new { decision = "approve", comment = "Standing reply." }).ExpectAsync(HttpStatusCode.OK);
        Assert.True(approved.GetProperty("inForce").GetBoolean());

        var send = await (await omar.PostAsync($"/api/campaigns/{id}/send", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("standing alert follow-up message", send.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "elena");
        var canvas = await browser.GetStringAsync("/canvas");
        Assert.Contains($"<a href=\"/campaigns/{id}\">Approved</a>", canvas, StringComparison.Ordinal);
        Assert.Contains("href=\"/campaigns/new?alertRule=estate.no-will-with-dependants\"", canvas, StringComparison.Ordinal);
        var form = await browser.GetStringAsync("/campaigns/new?alertRule=estate.no-will-with-dependants");
        Assert.Contains("<option value=\"estate.no-will-with-dependants\" selected=\"selected\">", form, StringComparison.Ordinal);
    }

    private static object Message(string rule) => new
    {
        name = $"Reply: {rule}",
        kind = "alert-follow-up",
        subject = "About your tax position, {{ person.first_name | default: \"client\" }}",
        body = "Dear {{ person.first_name | default: \"client\" }},\n\nThere may be losses in your portfolio you can use against gains this year. Reply and we will look at it with you.",
        alertRule = rule,
    };
}
