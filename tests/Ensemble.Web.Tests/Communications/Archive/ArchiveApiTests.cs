using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Ensemble.Communications;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using MimeKit;

namespace Ensemble.Web.Tests.Communications.Archive;

/// <summary>The archive through the API: searched within what each person may see, read one by one, exported per household.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ArchiveApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Search_ShowsMessagesOfMyHouseholds_AndNotOfAForeignOne_WhileThePrincipalSeesBoth(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var word = Guid.NewGuid().ToString("N")[..10];
        var own = await ArchiveMessages.SentAsync(app, await app.HouseholdOnTeamOfAsync("tom"), $"Commentary {word}");
        var foreign = await ArchiveMessages.SentAsync(app, ForeignHousehold.Key, $"Commentary {word}");
        using var tom = await app.ClientAsAsync("tom");
        using var elena = await app.ClientAsAsync("elena");

        var toms = await tom.GetAsync($"/api/archive/messages?text={word}").ExpectAsync(HttpStatusCode.OK);
        var elenas = await elena.GetAsync($"/api/archive/messages?text={word.ToUpperInvariant()}").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([own], toms.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal([foreign, own], elenas.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Get_ShowsTheMessageAsSent_AndAForeignOneIsNotFound(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("leo");
        var own = await ArchiveMessages.SentAsync(app, household, "Your annual Form ADV", kind: "form-adv");
        var foreign = await ArchiveMessages.SentAsync(app, ForeignHousehold.Key, "Not for leo");
        using var leo = await app.ClientAsAsync("leo");

        var message = await leo.GetAsync($"/api/archive/messages/{own}").ExpectAsync(HttpStatusCode.OK);
        using var refused = await leo.GetAsync($"/api/archive/messages/{foreign}");

        Assert.Equal(("Your annual Form ADV", "form-adv", "sent", household), (message.GetProperty("subject").GetString(), message.GetProperty("kind").GetString(),
            message.GetProperty("status").GetString(), message.GetProperty("householdKey").GetString()));
        Assert.EndsWith("@" + MessageIds.Domain, message.GetProperty("messageId").GetString(), StringComparison.Ordinal);
        await refused.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Eml_IsTheEmailRebuiltWithItsMessageId(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var id = await ArchiveMessages.SentAsync(app, await app.HouseholdOnTeamOfAsync("grace"), "Déjà vu: your review");
        using var grace = await app.ClientAsAsync("grace");
        var stored = await grace.GetAsync($"/api/archive/messages/{id}").ExpectAsync(HttpStatusCode.OK);

        using var response = await grace.GetAsync($"/api/archive/messages/{id}/eml");
        var mime = await MimeMessage.LoadAsync(await response.Content.ReadAsStreamAsync());

        Assert.Equal("message/rfc822", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(stored.GetProperty("messageId").GetString(), mime.MessageId);
        Assert.Equal("Déjà vu: your review", mime.Subject);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Export_IsAZipOfTheHouseholdsMessages_ForItsTeam_AndRefusedToOthers(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("hannah");
        await ArchiveMessages.SentAsync(app, household, "Commentary by email");
        await ArchiveMessages.SentAsync(app, household, "Form ADV by post", kind: "form-adv", channel: DeliveryChannel.Letter);
        using var hannah = await app.ClientAsAsync("hannah");

        using var response = await hannah.GetAsync($"/api/households/{household}/messages/export");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        using var foreign = await hannah.GetAsync($"/api/households/{ForeignHousehold.Key}/messages/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(zip.Entries, e => e.Name.EndsWith("_campaign_email.eml", StringComparison.Ordinal));
        Assert.Contains(zip.Entries, e => e.Name.EndsWith("_form-adv_letter.txt", StringComparison.Ordinal));
        Assert.Contains(zip.Entries, e => e.Name == "index.csv");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_WithFiltersThatAreNotValid_NamesEachField(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");

        using var response = await tom.GetAsync("/api/archive/messages?status=lost&channel=fax&from=2026-02-30");
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _));
        Assert.True(errors.TryGetProperty("channel", out _));
        Assert.True(errors.TryGetProperty("from", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Settings_AreReadByAnyone_ChangedByThePrincipal_AndCheckedFieldByField(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");
        using var elena = await app.ClientAsAsync("elena");

        var current = await tom.GetAsync("/api/communication-settings").ExpectAsync(HttpStatusCode.OK);
        using var byTom = await tom.PutAsJsonAsync("/api/communication-settings", new { retentionYears = 7 });
        using var tooShort = await elena.PutAsJsonAsync("/api/communication-settings", new { retentionYears = 2, fiscalYearEnd = "13-40" });
        var saved = await elena.PutAsJsonAsync("/api/communication-settings", new { appAddress = "https://ensemble.harborpoint.example/" }).ExpectAsync(HttpStatusCode.OK);
        await elena.PutAsJsonAsync("/api/communication-settings", new { appAddress = "" }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(current.GetProperty("retentionYears").GetInt32(), saved.GetProperty("retentionYears").GetInt32());
        Assert.Equal("https://ensemble.harborpoint.example/", saved.GetProperty("appAddress").GetString());
        Assert.Equal(120, current.GetProperty("formAdvDeliveryDays").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, byTom.StatusCode);
        var problem = await tooShort.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("fiscalYearEnd", out _));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Purge_IsForThePrincipal_AndLeavesRetainedMessages(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var id = await ArchiveMessages.SentAsync(app, await app.HouseholdOnTeamOfAsync("tom"), "Retained for six years");
        using var tom = await app.ClientAsAsync("tom");
        using var elena = await app.ClientAsAsync("elena");

        using var byTom = await tom.PostAsJsonAsync("/api/archive/purge", new { });
        var report = await elena.PostAsJsonAsync("/api/archive/purge", new { }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Forbidden, byTom.StatusCode);
        Assert.Equal(0, report.GetProperty("purged").GetInt32());
        await elena.GetAsync($"/api/archive/messages/{id}").ExpectAsync(HttpStatusCode.OK);
    }
}
