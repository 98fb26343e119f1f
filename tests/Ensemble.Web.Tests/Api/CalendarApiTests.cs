using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Tests.Api;

/// <summary>
/// The service calendar through the API: a principal lays out a year for one household (and again, which adds
/// nothing), the household's meetings are listed, one is marked held with the next proposed, another cancelled;
/// a meeting is only reachable through its own household, and an advisor's month is the caller's own.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class CalendarApiTests(WebApps apps)
{
    /// <summary>Far enough ahead that the demo firm's own calendar has nothing in it.</summary>
    private const int Year = 2031;

    [Theory, OnSqlite, OnPostgres]
    public async Task LayOut_List_Held_Cancel_ThroughTheApi(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var (household, other) = await TieredHouseholdsAsync(app);
        using var elena = await app.ClientAsAsync("elena");

        var missingYear = await (await elena.PostAsJsonAsync("/api/calendar/lay-out", new { })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(missingYear.GetProperty("errors").TryGetProperty("year", out _));

        var report = await elena.PostAsJsonAsync("/api/calendar/lay-out", new { year = Year, household }).ExpectAsync(HttpStatusCode.OK);
        var placed = report.GetProperty("placed").GetInt32();
        Assert.True(placed >= 2, $"placed {placed}");
        Assert.Equal(placed, report.GetProperty("processesStarted").GetInt32());
        var again = await elena.PostAsJsonAsync("/api/calendar/lay-out", new { year = Year, household }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((0, placed), (again.GetProperty("placed").GetInt32(), again.GetProperty("alreadyThere").GetInt32()));

        var list = await elena.GetAsync($"/api/households/{household}/touchpoints?year={Year}").ExpectAsync(HttpStatusCode.OK);
        var meetings = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(placed, meetings.Count);
        Assert.All(meetings, m => Assert.NotEqual(JsonValueKind.Null, m.GetProperty("processId").ValueKind));
        var first = meetings[0].GetProperty("id").GetInt64();
        var second = meetings[1].GetProperty("id").GetInt64();

        var held = await elena.PostAsJsonAsync($"/api/households/{household}/touchpoints/{first}/held", new { note = "Covered the plan." }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Held", held.GetProperty("held").GetProperty("status").GetString());
        Assert.Equal(second, held.GetProperty("next").GetProperty("booked").GetProperty("id").GetInt64());
        using (var twice = await elena.PostAsJsonAsync($"/api/households/{household}/touchpoints/{first}/held", new { }))
        {
            await twice.ExpectProblemAsync(HttpStatusCode.Conflict);
        }

        // Through another household's address, the meeting does not exist.
        using (var elsewhere = await elena.PostAsJsonAsync($"/api/households/{other}/touchpoints/{second}/cancel", new { reason = "Wrong door." }))
        {
            await elsewhere.ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        using (var noReason = await elena.PostAsJsonAsync($"/api/households/{household}/touchpoints/{second}/cancel", new { }))
        {
            var problem = await noReason.ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        }

        var cancelled = await elena.PostAsJsonAsync($"/api/households/{household}/touchpoints/{second}/cancel", new { reason = "The clients are abroad." }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("Cancelled", await ProcessStatusAsync(app, cancelled.GetProperty("processId").GetInt64()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task TheMonthView_IsTheCallersOwn_AndOnlyWholeFirmRolesMayAskForAnothers(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var (month, advisor, expected) = await BusiestAdvisorMonthAsync(app);
        using var principal = await app.ClientAsAsync("elena");
        using var paraplanner = await app.ClientAsAsync("tom");

        var theirs = await principal.GetAsync($"/api/calendar?month={month}&advisor={advisor}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(advisor, theirs.GetProperty("advisor").GetString());
        Assert.Equal(expected, theirs.GetProperty("meetings").GetProperty("items").GetArrayLength());

        var own = await paraplanner.GetAsync($"/api/calendar?month={month}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("tom", own.GetProperty("advisor").GetString());
        Assert.Equal(0, own.GetProperty("meetings").GetProperty("items").GetArrayLength());
        using (var refused = await paraplanner.GetAsync($"/api/calendar?month={month}&advisor={advisor}"))
        {
            await refused.ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        using var bad = await principal.GetAsync("/api/calendar?month=March");
        Assert.True((await bad.ExpectProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("month", out _));
    }

    /// <summary>Two client households in a service tier: the demo firm's calendar gave them more than one meeting.</summary>
    private static async Task<(string Household, string Other)> TieredHouseholdsAsync(EnsembleApp app)
    {
        await using var db = app.OpenDb();
        var all = await db.Touchpoints.AsNoTracking().Select(t => t.HouseholdId).ToListAsync();
        var ids = all.GroupBy(h => h).Where(g => g.Count() >= 2).Select(g => g.Key).OrderBy(h => h.Value).Take(2).ToList();
        var keys = await db.Households.AsNoTracking().Where(h => ids.Contains(h.Id)).OrderBy(h => h.Id).Select(h => h.Key).ToListAsync();
        Assert.Equal(2, keys.Count);
        return (keys[0], keys[1]);
    }

    private static async Task<(string Month, string Advisor, int Meetings)> BusiestAdvisorMonthAsync(EnsembleApp app)
    {
        await using var db = app.OpenDb();
        var meetings = await db.Touchpoints.AsNoTracking().Where(t => t.AdvisorId != null).Select(t => new { t.AdvisorId, t.StartsAt }).ToListAsync();
        var busiest = meetings.GroupBy(m => (m.AdvisorId, m.StartsAt.Year, m.StartsAt.Month)).OrderByDescending(g => g.Count()).First();
        var handle = await db.Staff.AsNoTracking().Where(s => s.Id == busiest.Key.AdvisorId).Select(s => s.Handle).SingleAsync();
        return ($"{busiest.Key.Year:0000}-{busiest.Key.Month:00}", handle, busiest.Count());
    }

    private static async Task<string> ProcessStatusAsync(EnsembleApp app, long process)
    {
        await using var db = app.OpenDb();
        return (await db.Instances.AsNoTracking().Where(i => i.Id == new Common.InstanceId(process)).Select(i => i.Status).SingleAsync()).ToString();
    }
}
