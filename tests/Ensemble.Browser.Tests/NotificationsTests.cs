using System.Text.RegularExpressions;
using Ensemble.Browser.Tests.Testing;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NodaTime;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>
/// Notifications and the calendar feed as a person meets them: the unread count in the header, the list worked
/// with the keyboard alone, both pages readable on a phone, and the feed address with its copy button.
/// </summary>
public sealed partial class NotificationsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Notifications_AreReachedFromTheHeader_AndMarkedReadWithTheKeyboard()
    {
        var title = $"Annual review: a test household — {Guid.NewGuid():N}"[..60];
        await AddAsync("grace", title, BrowserApp.Now - Duration.FromMinutes(30));
        await AddAsync("grace", "Not due yet: next week's reminder", BrowserApp.Now + Duration.FromDays(3));
        await using var session = await app.SignedInAsync("grace");
        var page = session.Page;

        var badge = page.Locator("a.notifications-link");
        await Expect(badge).ToHaveAttributeAsync("aria-label", UnreadLabel());
        var before = int.Parse(UnreadLabel().Match(await badge.GetAttributeAsync("aria-label") ?? "").Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        await badge.ClickAsync();
        await page.WaitForURLAsync(app.Url("/notifications"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notifications", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("li.notification.unread").Filter(new() { HasText = title })).ToBeVisibleAsync();
        await Expect(page.GetByText("Not due yet")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page);

        // Tab from the top of the page to the item's button, then press Enter: no mouse needed.
        var reached = false;
        for (var i = 0; i < 60 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('aria-label')") == $"Mark read: {title}";
        }

        Assert.True(reached, "The item's Mark read button cannot be reached with the Tab key.");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Marked read: {title}");
        await Expect(page.Locator("li.notification").Filter(new() { HasText = title })).Not.ToHaveClassAsync(new Regex("unread"));
        var unread = await UnreadCountAsync("grace");
        Assert.True(unread < before, $"{unread} unread after marking one of {before} read.");
        await Expect(page.Locator("a.notifications-link")).ToHaveAttributeAsync("aria-label", unread == 0 ? "Notifications, none unread" : $"Notifications, {unread} unread");

        // On a phone the list fits the screen: no sideways scrolling.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(
            await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"Notifications are {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 390 px screen.");
        await Screenshots.SaveAsync(page, "phone-390");
    }

    [Fact]
    public async Task AccountPage_ShowsMyCalendarFeedAddress_WithACopyButton()
    {
        await using var session = await app.SignedInAsync("tom");
        await session.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = session.Page;

        await page.GotoAsync("/account");
        var address = page.GetByLabel("Feed address");
        await Expect(address).ToHaveValueAsync(new Regex(@"^http://127\.0\.0\.1:\d+/feeds/tom/[A-Za-z0-9_-]{27}\.ics$"));
        var copy = page.GetByRole(AriaRole.Button, new() { Name = "Copy" });
        await Expect(copy).ToBeVisibleAsync();
        await copy.ClickAsync();
        await Expect(page.Locator("#calendar-feed-status")).Not.ToBeEmptyAsync();
        await Screenshots.SaveAsync(page);

        // On a phone the feed card fits the screen (the address field shrinks rather than pushing the page wider).
        await page.SetViewportSizeAsync(390, 844);
        var right = await page.Locator("section.calendar-feed").EvaluateAsync<double>("e => Math.max(...[e, ...e.querySelectorAll('*')].map(x => x.getBoundingClientRect().right))");
        Assert.True(right <= 390, $"The calendar feed card reaches {right} px on a 390 px screen.");
        await Screenshots.SaveAsync(page, "phone-390");
    }

    private async Task<int> UnreadCountAsync(string handle)
    {
        await using var db = app.OpenDb();
        var staffId = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        return await db.Notifications.CountAsync(n => n.StaffId == staffId && n.ShowAt <= BrowserApp.Now && n.ReadAt == null);
    }

    private async Task AddAsync(string handle, string title, Instant showAt)
    {
        await using var db = app.OpenDb();
        var staffId = await db.Staff.Where(s => s.Handle == handle).Select(s => s.Id).SingleAsync();
        db.Notifications.Add(new StaffNotification($"browser-test:{Guid.NewGuid():N}", staffId, "browser-test", title, "/", showAt, null));
        await db.SaveChangesAsync();
    }

    [GeneratedRegex(@"^Notifications, (?<n>[1-9]\d*) unread$")]
    private static partial Regex UnreadLabel();
}
