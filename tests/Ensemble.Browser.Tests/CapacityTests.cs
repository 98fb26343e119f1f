using Ensemble.Browser.Tests.Testing;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage.ServiceModel.Capacity;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>The capacity screen: utilisation in words and numbers per role and person, and a what-if, by keyboard, on a phone.</summary>
public sealed class CapacityTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Capacity_ShowsUtilisationAsText_AndAWhatIfRunByKeyboard_ShowsTheChangeInHours_AtPhoneWidth()
    {
        // A household with a tier, and a tier to try it in.
        CapacityHousehold household;
        await using (var db = app.OpenDb())
        {
            var input = await new CapacityPlanner(db, new NodaTime.Testing.FakeClock(BrowserApp.Now)).LoadAsync(null, null, new CapacityOptions());
            household = input.Value.Households.Where(h => h.Tier != ServiceTier.Unsegmented).OrderBy(h => h.Key, StringComparer.Ordinal).First();
        }

        var to = household.Tier == ServiceTier.A ? "C" : "A";
        await using var session = await app.SignedInAsync("elena");
        var page = session.Page;
        await page.SetViewportSizeAsync(390, 844);

        await page.GotoAsync("/capacity");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Capacity", Level = 1 })).ToBeVisibleAsync();
        var roles = page.GetByRole(AriaRole.Region, new() { Name = "By role" });
        var wealthPartner = roles.GetByRole(AriaRole.Row).Filter(new() { HasText = "Wealth partner" });
        await Expect(wealthPartner.Locator("td.cap .cap-util").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(\d+ %|–|no one)$"));
        await Expect(wealthPartner.Locator("td.cap")).ToHaveCountAsync(13);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "By person" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Elena" })).ToHaveCountAsync(1);

        // Flags are words, not colour alone: every coloured cell says what it means.
        foreach (var cell in await page.Locator("td.cap-over, td.cap-stretched").AllAsync())
        {
            Assert.Matches("over capacity|stretched", await cell.Locator(".cap-flag").TextContentAsync() ?? "");
        }

        // The page fits a phone: only the wide tables scroll sideways, inside their own regions.
        Assert.True(
            await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The capacity page is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 390 px screen.");
        await Screenshots.SaveAsync(page, "phone-390");

        // The what-if, by keyboard: type the household, tab to the tier, choose it, tab to the button, Enter.
        await page.GetByLabel("Household keys, separated by commas").FocusAsync();
        await page.Keyboard.TypeAsync(household.Key);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync(to);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show the change" }).Last).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#h-whatif-result h3")).ToHaveTextAsync($"Move 1 household to tier {to}");
        var changes = page.GetByRole(AriaRole.Region, new() { Name = "Change in hours by role" });
        await Expect(changes.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync(" h");
        await Screenshots.SaveAsync(page, "what-if");
    }
}
