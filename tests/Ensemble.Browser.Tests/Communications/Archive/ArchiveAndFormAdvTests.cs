using Ensemble.Browser.Tests.Testing;
using Ensemble.Communications;
using Ensemble.Communications.FormAdv;
using Ensemble.Households;
using Ensemble.Storage.Communications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NodaTime;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests.Communications.Archive;

/// <summary>
/// Compliance finds a Form ADV letter in the archive with the search form (keyboard alone), reads its record, and
/// sees on the Form ADV page that the household has had its delivery while others are still owed one.
/// </summary>
public sealed class ArchiveAndFormAdvTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Compliance_FindsAFormAdvDeliveryInTheArchive_AndSeesWhoIsStillOwedOne()
    {
        var (key, name) = await ClientAsync();
        var subject = $"Our Form ADV brochure for {BrowserApp.Today.Year - 1} ({Guid.NewGuid():N})"[..50];
        var id = await SendAsync(key, subject);

        await using var session = await app.SignedInAsync("omar");
        var page = session.Page;
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Archive" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Archive", Level = 1 })).ToBeVisibleAsync();

        // Keyboard only: type the words, Tab to the household, type its key, Enter submits the search.
        var search = page.GetByRole(AriaRole.Search, new() { Name = "Search the archive" });
        await search.GetByLabel("Words").FocusAsync();
        await page.Keyboard.TypeAsync(subject[^20..]);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "1 message" })).ToBeVisibleAsync();
        var row = page.Locator("table.archive-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(FormAdvYear.Kind);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Export {key}'s messages (ZIP)" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "search");

        await row.GetByRole(AriaRole.Link, new() { Name = subject }).ClickAsync();
        await page.WaitForURLAsync(app.Url($"/archive/{id}"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = subject, Level = 1 })).ToBeVisibleAsync();
        var record = page.Locator("dl.archive-record");
        await Expect(record).ToContainTextAsync("Message-ID");
        await Expect(record).ToContainTextAsync("the database refuses to delete it before then");
        await Expect(page.Locator("pre.message-body").First).ToContainTextAsync("Please find our Form ADV brochure enclosed.");
        await Screenshots.SaveAsync(page, "message");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Form ADV" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Form ADV delivery", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Fiscal year {BrowserApp.Today.Year - 1}: deliver by 30 Apr {BrowserApp.Today.Year}" })).ToBeVisibleAsync();
        var owed = page.Locator("table.form-adv-table");
        await Expect(owed.GetByRole(AriaRole.Link, new() { Name = name })).ToHaveCountAsync(0);
        await Expect(owed.Locator("tbody tr").First).ToBeVisibleAsync();

        await page.GetByLabel("Every client, not only those still owed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var line = page.Locator("table.form-adv-table tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
        await Expect(line.Locator(".form-adv-state")).ToHaveTextAsync("delivered");
        await Expect(line.GetByRole(AriaRole.Link, new() { Name = BrowserApp.Today.ToString("d MMM uuuu", System.Globalization.CultureInfo.InvariantCulture) })).ToHaveAttributeAsync("href", $"/archive/{id}");
        await Screenshots.SaveAsync(page, "form-adv");

        // On a phone nothing scrolls sideways: the table scrolls within its own region.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(
            await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The Form ADV page is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 390 px screen.");
    }

    private async Task<(string Key, string Name)> ClientAsync()
    {
        await using var db = app.OpenDb();
        var client = await db.Households.AsNoTracking().Where(h => h.Stage == LifecycleStage.Client).OrderByDescending(h => h.Key).Select(h => new { h.Key, h.Name }).FirstAsync();
        return (client.Key, client.Name);
    }

    private async Task<long> SendAsync(string key, string subject)
    {
        await using var db = app.OpenDb();
        var household = await db.Households.Where(h => h.Key == key).Select(h => h.Id).SingleAsync();
        var envelope = new OutboxEnvelope($"browser-test:{Guid.NewGuid():N}", FormAdvYear.Kind, DeliveryChannel.Email, "Mary Sullivan", "mary.sullivan@mail.example",
            subject, "Dear Mary,\n\nPlease find our Form ADV brochure enclosed.", "<p>Please find our Form ADV brochure enclosed.</p>", household);
        db.Actor = "browser-tests";
        await OutboxQueue.AddAsync(db, [envelope], BrowserApp.Now);
        await db.SaveChangesAsync();
        var message = await db.Outbox.SingleAsync(m => m.Key == envelope.Key);
        message.Claim("browser-tests", BrowserApp.Now + Duration.FromMinutes(1));
        message.MarkSent(BrowserApp.Now, OutboxQueue.DefaultRetention);
        await db.SaveChangesAsync();
        return message.Id;
    }
}
