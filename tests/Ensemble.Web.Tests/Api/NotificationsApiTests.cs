using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Ensemble.Web.Tests.Api;

/// <summary>In-app notifications: each person sees and marks only their own, and only once they are due to show.</summary>
[Collection(WebAppCollection.Name)]
public sealed class NotificationsApiTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task List_ShowsOnlyMyShownNotifications_NewestFirst(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var now = app.Services.GetRequiredService<IClock>().GetCurrentInstant();
        var older = await AddAsync(app, "leo", "Older reminder", now - Duration.FromHours(2));
        var newer = await AddAsync(app, "leo", "Newer reminder", now - Duration.FromMinutes(5));
        var later = await AddAsync(app, "leo", "Not yet", now + Duration.FromDays(2));
        var graces = await AddAsync(app, "grace", "Grace's reminder", now - Duration.FromMinutes(1));
        using var leo = await app.ClientAsAsync("leo");

        var page = await leo.GetAsync("/api/notifications?limit=500").ExpectAsync(HttpStatusCode.OK);

        var ids = page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(older, ids);
        Assert.Contains(newer, ids);
        Assert.DoesNotContain(later, ids);
        Assert.DoesNotContain(graces, ids);
        Assert.True(ids.IndexOf(newer) < ids.IndexOf(older), "Newest first.");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MarkRead_SomeoneElsesNotification_IsNotFound_AndLeavesItUnread(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var now = app.Services.GetRequiredService<IClock>().GetCurrentInstant();
        var graces = await AddAsync(app, "grace", "Grace's own reminder", now - Duration.FromMinutes(1));
        var tomsFuture = await AddAsync(app, "tom", "Tom's reminder for next week", now + Duration.FromDays(7));
        using var tom = await app.ClientAsAsync("tom");

        using var others = await tom.PostAsJsonAsync($"/api/notifications/{graces}/read", new { });
        using var notYet = await tom.PostAsJsonAsync($"/api/notifications/{tomsFuture}/read", new { });
        using var missing = await tom.PostAsJsonAsync($"/api/notifications/{FirmQueries.Missing}/read", new { });

        await others.ExpectProblemAsync(HttpStatusCode.NotFound);
        await notYet.ExpectProblemAsync(HttpStatusCode.NotFound);
        await missing.ExpectProblemAsync(HttpStatusCode.NotFound);
        await using var db = app.OpenDb();
        Assert.Null(await db.Notifications.Where(n => n.Id == graces).Select(n => n.ReadAt).SingleAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MarkRead_AndReadAll_TakeThemOffTheUnreadList(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var now = app.Services.GetRequiredService<IClock>().GetCurrentInstant();
        var first = await AddAsync(app, "hannah", "First", now - Duration.FromMinutes(3));
        var second = await AddAsync(app, "hannah", "Second", now - Duration.FromMinutes(2));
        var graces = await AddAsync(app, "grace", "Grace keeps hers", now - Duration.FromMinutes(2));
        using var hannah = await app.ClientAsAsync("hannah");

        var read = await hannah.PostAsJsonAsync($"/api/notifications/{first}/read", new { }).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("readAt").ValueKind);
        var unread = await UnreadIdsAsync(hannah);
        Assert.DoesNotContain(first, unread);
        Assert.Contains(second, unread);

        var all = await hannah.PostAsJsonAsync("/api/notifications/read-all", new { }).ExpectAsync(HttpStatusCode.OK);
        Assert.True(all.GetProperty("marked").GetInt32() >= 1);
        Assert.Empty(await UnreadIdsAsync(hannah));
        await using var db = app.OpenDb();
        Assert.Null(await db.Notifications.Where(n => n.Id == graces).Select(n => n.ReadAt).SingleAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NotificationsPage_ListsMine_AndTheHeaderCountsTheUnread(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        var now = app.Services.GetRequiredService<IClock>().GetCurrentInstant();
        await AddAsync(app, "omar", "Annual review for the household of Omar", now - Duration.FromMinutes(1));
        using var browser = app.Browser();
        await SignInForm.SignInAsync(browser, "omar");

        using var page = await browser.GetAsync("/notifications");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Annual review for the household of Omar", html, StringComparison.Ordinal);
        Assert.Matches("""class="notifications-link"[^>]*aria-label="Notifications, [1-9]\d* unread""", html);
    }

    private static async Task<HashSet<long>> UnreadIdsAsync(HttpClient client)
    {
        var page = await client.GetAsync("/api/notifications?unread=true&limit=500").ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetInt64()).ToHashSet();
    }

    private static async Task<long> AddAsync(EnsembleApp app, string handle, string title, Instant showAt)
    {
        await using var db = app.OpenDb();
        var staffId = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        var notification = new StaffNotification($"web-test:{Guid.NewGuid():N}", staffId, "web-test", title, "/", showAt, null);
        db.Notifications.Add(notification);
        await db.SaveChangesAsync();
        return notification.Id;
    }
}
