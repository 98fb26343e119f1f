using System.Net;
using System.Net.Http.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>Periodic contact through the API: life events on a household, the coming occasions, and planning.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ContactsApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task RecordingALifeEvent_StartsItsContact_AndTheListShowsIt(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await ContactableHouseholdOfAsync(app, "grace");
        using var grace = await app.ClientAsAsync("grace");

        var recorded = await grace.PostAsJsonAsync($"/api/households/{household}/life-events", new { kind = "new-grandchild", on = "2026-11-20", note = "A boy, Theo" })
            .ExpectAsync(HttpStatusCode.Created);
        var listed = await grace.GetAsync($"/api/households/{household}/life-events").ExpectAsync(HttpStatusCode.OK);

        var process = recorded.GetProperty("contactProcess").GetInt64();
        Assert.Equal("new-grandchild", recorded.GetProperty("event").GetProperty("kind").GetString());
        var first = listed.GetProperty("items")[0];
        Assert.Equal(process, first.GetProperty("contactProcess").GetInt64());
        Assert.Equal("A boy, Theo", first.GetProperty("note").GetString());
        await using var db = app.OpenDb();
        Assert.Equal("client-contact", await db.Instances.Where(i => i.Id == new Common.InstanceId(process)).Select(i => i.TemplateKey).SingleAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ALifeEventWithABadKindDateOrMember_IsAValidationProblemNamingTheField(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var household = await app.HouseholdOnTeamOfAsync("grace");
        using var grace = await app.ClientAsAsync("grace");

        using var badKind = await grace.PostAsJsonAsync($"/api/households/{household}/life-events", new { kind = "lottery-win", on = "Tuesday" });
        using var badMember = await grace.PostAsJsonAsync($"/api/households/{household}/life-events", new { kind = "promotion", on = "2026-11-20", member = "Z9" });

        var problem = await badKind.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("on", out _), problem.ToString());
        var member = await badMember.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Z9 is not a member", member.GetProperty("errors").GetProperty("member")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Occasions_ShowOnlyHouseholdsTheCallerMaySee_AndPlanningIsForPracticeManagers(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var tom = await app.ClientAsAsync("tom");
        using var elena = await app.ClientAsAsync("elena");

        var mine = await tom.GetAsync("/api/contacts/occasions?days=60&limit=500").ExpectAsync(HttpStatusCode.OK);
        using var tooFar = await tom.GetAsync("/api/contacts/occasions?days=400");
        using var refused = await tom.PostAsJsonAsync("/api/contacts/plan", new { days = 14 });
        var planned = await elena.PostAsJsonAsync("/api/contacts/plan", new { days = 14 }).ExpectAsync(HttpStatusCode.OK);

        await tooFar.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, planned.GetProperty("errors").GetArrayLength());
        Assert.DoesNotContain(planned.GetProperty("started").EnumerateArray(), l => l.GetProperty("decision").GetString() != "planned");
        var visible = await VisibleKeysAsync(app, "tom");
        Assert.All(mine.GetProperty("items").EnumerateArray(), l => Assert.Contains(l.GetProperty("household").GetString()!, visible));
    }

    /// <summary>A household on the person's team that has not asked to be left alone.</summary>
    private static async Task<string> ContactableHouseholdOfAsync(EnsembleApp app, string handle)
    {
        var visible = await VisibleKeysAsync(app, handle);
        await using var db = app.OpenDb();
        var keys = await db.Households.AsNoTracking().Where(h => !h.DoNotContact).OrderBy(h => h.Key).Select(h => h.Key).ToListAsync();
        return keys.First(visible.Contains);
    }

    private static async Task<HashSet<string>> VisibleKeysAsync(EnsembleApp app, string handle)
    {
        await using var db = app.OpenDb();
        var staff = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        var teams = await db.TeamAssignments.AsNoTracking().Where(a => a.HouseholdId != null).ToListAsync();
        var ids = teams.Where(a => a.CoverageOrder().Contains(staff)).Select(a => a.HouseholdId!.Value).ToHashSet();
        return (await db.Households.AsNoTracking().Select(h => new { h.Id, h.Key }).ToListAsync()).Where(h => ids.Contains(h.Id)).Select(h => h.Key).ToHashSet();
    }
}
