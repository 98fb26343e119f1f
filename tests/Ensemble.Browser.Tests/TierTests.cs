using Ensemble.Browser.Tests.Testing;
using Ensemble.Storage.Library;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>The service model in the browser: the full library by category, and a household's tier explained and set by hand.</summary>
public sealed class TierTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Library_ListsEveryWorkflowUnderItsSixCategories()
    {
        await using var db = app.OpenDb();
        var templates = await new TemplateLibrary(db, new NodaTime.Testing.FakeClock(BrowserApp.Now)).ListAsync();
        await using var session = await app.SignedInAsync("grace");
        var page = session.Page;

        await page.GotoAsync("/library");

        await Expect(page.Locator("main section h2")).ToHaveCountAsync(6);
        await Expect(page.Locator("main section li.card a")).ToHaveCountAsync(templates.Count);
        Assert.True(templates.Count >= 46, $"the demo firm has {templates.Count} templates");
        foreach (var category in new[] { "client management", "service requests", "sales", "onboarding", "practice management", "marketing" })
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = category, Exact = true, Level = 2 })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Household_ExplainsItsTier_AndThePrincipalSetsItByHandWithAReason()
    {
        var key = (await app.OpenTasksOfAsync("tom")).First(t => t.HouseholdKey is not null).HouseholdKey!;
        await using var session = await app.SignedInAsync("elena");
        var page = session.Page;

        await page.GotoAsync($"/households/{key}");

        var card = page.Locator("section[aria-labelledby=h-tier]");
        await Expect(card.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("Service tier:");
        var lines = card.Locator("ul.tier-explain > li");
        Assert.True(await lines.CountAsync() >= 9, "one line per criterion and the decision");
        foreach (var criterion in new[] { "Net worth", "Investable assets", "Household income", "Age", "Initial revenue", "Recurring revenue", "Referrals given", "Products" })
        {
            await Expect(lines.Filter(new() { HasTextString = criterion + " " }).First).ToBeVisibleAsync();
        }

        await Expect(lines.Filter(new() { HasTextString = "(needs 5)" })).ToHaveCountAsync(1);

        await card.GetByText("Set the tier by hand").ClickAsync();
        await card.GetByLabel("Tier").SelectOptionAsync("A");
        await card.GetByLabel("Reason (required)").FillAsync("Selling the family business in spring");
        await card.GetByRole(AriaRole.Button, new() { Name = "Set tier" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tier set to A by hand.");
        await Expect(page.Locator("h1 .badge.tier")).ToHaveTextAsync("tier A");
        await Expect(lines.Filter(new() { HasTextString = "by hand: Selling the family business in spring" })).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page);

        await card.GetByText("Set the tier by hand").ClickAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Remove the manual tier" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Manual tier removed");
    }

    [Fact]
    public async Task AParaplanner_SeesTheExplanation_ButNotTheOverrideForm()
    {
        var key = (await app.OpenTasksOfAsync("tom")).First(t => t.HouseholdKey is not null).HouseholdKey!;
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;

        await page.GotoAsync($"/households/{key}");

        await Expect(page.Locator("ul.tier-explain > li").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Set the tier by hand")).ToHaveCountAsync(0);
    }
}
