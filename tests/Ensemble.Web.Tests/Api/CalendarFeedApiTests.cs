using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Ensemble.Web.Tests.Api;

/// <summary>
/// Calendar feeds and meeting downloads through the real app: the feed address a person is shown on their
/// account page opens without signing in (as a calendar client would) and only with the right secret; a
/// meeting downloads as .ics from its own household only.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed partial class CalendarFeedApiTests(WebApps apps)
{
    /// <summary>A wealth partner of the demo firm: the meetings these tests add are hers, not the people other tests count on having none.</summary>
    private const string Advisor = "priya";

    [Theory, OnSqlite, OnPostgres]
    public async Task FeedAddressOnTheAccountPage_OpensWithoutSigningIn_AsTextCalendarWithTheirMeetings(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        await using var scratch = await ScratchMeeting.AddAsync(app, Advisor);
        var meeting = scratch.Touchpoint;
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, Advisor);

        using var page = await browser.GetAsync("/account");
        var html = await page.Content.ReadAsStringAsync();
        var address = FeedAddress().Match(html);
        Assert.True(address.Success, "The account page shows no calendar feed address.");
        var url = new Uri(WebUtility.HtmlDecode(address.Groups["url"].Value));
        Assert.StartsWith($"/feeds/{Advisor}/", url.AbsolutePath, StringComparison.Ordinal);

        using var calendarClient = app.Client();
        using var response = await calendarClient.GetAsync(url.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var calendar = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("PUBLISH", calendar.Method);
        var e = Assert.Single(calendar.Events, e => e.Uid == CalendarFeed.Uid(meeting.Id));
        Assert.Equal(3, e.Alarms.Count);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Feed_WithAWrongSecret_IsNotFound(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var secrets = Ensemble.Web.Access.CalendarFeedSecrets.From(app.Services);
        var tom = await StaffIdAsync(app, "tom");
        var grace = await StaffIdAsync(app, "grace");
        var right = secrets.For(tom);
        var flipped = (right[0] == 'A' ? 'B' : 'A') + right[1..];
        using var client = app.Client();

        using var ok = await client.GetAsync($"/feeds/tom/{right}.ics");
        using var wrong = await client.GetAsync($"/feeds/tom/{flipped}.ics");
        using var someoneElses = await client.GetAsync($"/feeds/tom/{secrets.For(grace)}.ics");
        using var empty = await client.GetAsync("/feeds/tom/.ics");
        using var nobody = await client.GetAsync($"/feeds/nobody/{right}.ics");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, someoneElses.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
        Assert.NotEqual(right, secrets.For(grace));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MeetingIcs_DownloadsFromItsHousehold_AndIsNotFoundUnderAnother(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        await using var scratch = await ScratchMeeting.AddAsync(app, Advisor);
        var meeting = scratch.Touchpoint;
        using var advisor = await app.ClientAsAsync(Advisor);
        var own = await app.HouseholdOnTeamOfAsync(Advisor);
        var other = await OtherHouseholdOfAsync(app, Advisor, own);

        using var download = await advisor.GetAsync($"/api/households/{own}/touchpoints/{meeting.Id.Value}.ics");
        using var elsewhere = await advisor.GetAsync($"/api/households/{other}/touchpoints/{meeting.Id.Value}.ics");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/calendar", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"meeting-{meeting.Id.Value}.ics", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        var e = Assert.Single(Ical.Net.Calendar.Load(await download.Content.ReadAsStringAsync())!.Events);
        Assert.Equal(CalendarFeed.Uid(meeting.Id), e.Uid);
        Assert.Equal("America/New_York", e.DtStart!.TzId);
        await elsewhere.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// A meeting two days from now at 10:00 with the advisor, in the first household on their team, removed again
    /// when the test ends so other tests of the shared app see the demo firm's calendar as it was. Its service year
    /// is made up (19xx) so it can never collide with a year the calendar lays out.
    /// </summary>
    private sealed class ScratchMeeting(EnsembleApp app, Touchpoint touchpoint) : IAsyncDisposable
    {
        public Touchpoint Touchpoint { get; } = touchpoint;

        public static async Task<ScratchMeeting> AddAsync(EnsembleApp app, string advisor)
        {
            var key = await app.HouseholdOnTeamOfAsync(advisor);
            var clock = app.Services.GetRequiredService<IClock>();
            await using var db = app.OpenDb();
            var household = await db.Households.Where(h => h.Key == key).Select(h => h.Id).SingleAsync();
            var zone = (await db.Firms.AsNoTracking().SingleAsync()).Zone;
            var year = 1900 + await db.Touchpoints.CountAsync(t => t.HouseholdId == household && t.Year < 2000);
            var startsAt = clock.GetCurrentInstant().InZone(zone).Date.PlusDays(2).At(new LocalTime(10, 0));
            var touchpoint = new Touchpoint(household, year, 1, TouchpointKind.Review, startsAt, 60, await StaffIdAsync(db, advisor), null);
            db.Actor = "web-tests";
            db.Operation = "test-setup";
            db.Touchpoints.Add(touchpoint);
            await db.SaveChangesAsync();
            return new ScratchMeeting(app, touchpoint);
        }

        public async ValueTask DisposeAsync()
        {
            await using var db = app.OpenDb();
            db.Actor = "web-tests";
            db.Operation = "test-cleanup";
            db.Touchpoints.RemoveRange(await db.Touchpoints.Where(t => t.Id == Touchpoint.Id).ToListAsync());
            db.Notifications.RemoveRange(await db.Notifications.Where(n => n.Key.StartsWith($"meeting:{Touchpoint.Id.Value}:")).ToListAsync());
            await db.SaveChangesAsync();
        }
    }

    internal static async Task<StaffId> StaffIdAsync(EnsembleApp app, string handle)
    {
        await using var db = app.OpenDb();
        return await StaffIdAsync(db, handle);
    }

    private static Task<StaffId> StaffIdAsync(EnsembleDb db, string handle) =>
        db.Staff.AsNoTracking().Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();

    /// <summary>Another household the person may also see, so the access check lets the request through to the handler.</summary>
    private static async Task<string> OtherHouseholdOfAsync(EnsembleApp app, string handle, string not)
    {
        using var client = await app.ClientAsAsync(handle);
        var page = await client.GetAsync("/api/households?limit=5").ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("key").GetString()!).First(k => k != not);
    }

    [GeneratedRegex("""id="calendar-feed-url"[^>]*value="(?<url>[^"]+)"|value="(?<url>[^"]+)"[^>]*id="calendar-feed-url""")]
    private static partial Regex FeedAddress();
}
