using Ensemble.Browser.Tests.Testing;
using Ensemble.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>The opportunity pipeline: opened from the household page with the keyboard alone, then found on the board.</summary>
public sealed class PipelineTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AnAdvisor_OpensAndMovesAnOpportunityByKeyboard_AndFindsItOnThePipelineBoard()
    {
        string key;
        await using (var db = app.OpenDb())
        {
            key = await db.Households.AsNoTracking().Where(h => h.Stage == LifecycleStage.Client).OrderBy(h => h.Key).Select(h => h.Key).FirstAsync();
        }

        await using var session = await app.SignedInAsync("elena");
        var page = session.Page;
        await page.GotoAsync($"/households/{key}");
        var section = page.Locator("section#opportunities");
        await Expect(section.GetByRole(AriaRole.Heading, new() { Name = "Opportunities" })).ToBeVisibleAsync();

        // Keyboard only: open the form, fill it field by field, submit with Enter.
        await section.Locator("summary", new() { HasText = "Open an opportunity" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var form = section.Locator("details.open-opportunity form");
        await form.GetByLabel("Kind").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Roll over the old 403(b)");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("275000");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("2750");
        await Expect(form.GetByLabel("Kind")).ToHaveValueAsync("rollover");
        await page.Keyboard.PressAsync("Enter");

        await Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync("Opened “Roll over the old 403(b)” at Identified.");
        var item = section.Locator("li.opportunity", new() { HasText = "Roll over the old 403(b)" });
        await Expect(item.Locator(".badge")).ToHaveTextAsync("Identified");

        // The move form offers the next stage first; Enter on the note moves it.
        await item.GetByLabel("Note").FocusAsync();
        await page.Keyboard.TypeAsync("Statements requested");
        await page.Keyboard.PressAsync("Enter");
        await Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync("“Roll over the old 403(b)” is now at Introduction.");
        await Screenshots.SaveAsync(page, "household");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Pipeline" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pipeline", Level = 1 })).ToBeVisibleAsync();
        var lane = page.Locator("section.lane", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Introduction" }) });
        await Expect(lane.GetByRole(AriaRole.Link, new() { Name = "Roll over the old 403(b)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Conversion between stages" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "board");

        // At phone width the lanes stack and nothing scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The pipeline page scrolls sideways at phone width.");
        await Screenshots.SaveAsync(page, "phone");
    }
}
