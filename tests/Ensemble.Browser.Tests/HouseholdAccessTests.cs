using Ensemble.Browser.Tests.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>Households are seen by their service team (holders and backups) and by those who see the whole firm.</summary>
public sealed class HouseholdAccessTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AParaplanner_IsRefusedAnotherTeamsHousehold()
    {
        var foreign = await app.HouseholdForeignToAsync(outsider: "tom", holder: "aisha");
        var own = (await app.OpenTasksOfAsync("tom")).First(t => t.HouseholdKey is not null).HouseholdKey!;
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;

        // His own household opens…
        var allowed = await page.GotoAsync($"/households/{own}");
        Assert.Equal(200, allowed!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Timeline" })).ToBeVisibleAsync();

        // …aisha's does not, and the household list does not offer it.
        var refused = await page.GotoAsync($"/households/{foreign}");
        Assert.Equal(403, refused!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not yours to see", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync($"You are not on the service team of household {foreign}.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to my work" })).ToHaveAttributeAsync("href", "/");
        await Screenshots.SaveAsync(page);

        await page.GotoAsync($"/households?search={foreign}");
        await Expect(page.GetByText("No households match.")).ToBeVisibleAsync();
    }
}
