using Ensemble.Browser.Tests.Testing;
using Microsoft.Playwright;
using NodaTime.Text;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>Cover for absence: the principal marks someone away and their work moves to the backup.</summary>
public sealed class CoverageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task MarkingSomeoneAway_MovesTheirWorkToTheirBackup()
    {
        await using var elena = await app.SignedInAsync("elena");
        var page = elena.Page;
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        var form = page.Locator("form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Mark away and move work" }) });
        await form.GetByLabel("Person").SelectOptionAsync("tom");

        // The first day away offered is today; tom is away for five days from it.
        var first = LocalDatePattern.Iso.Parse(await form.GetByLabel("First day away").InputValueAsync()).Value;
        Assert.Equal(BrowserApp.Today, first);
        var last = first.PlusDays(4);
        await form.GetByLabel("Last day away").FillAsync(LocalDatePattern.Iso.Format(last));
        var moving = (await app.OpenTasksOfAsync("tom")).Where(t => t.DueOn >= first && t.DueOn <= last).ToList();
        Assert.NotEmpty(moving);

        await form.GetByRole(AriaRole.Button, new() { Name = "Mark away and move work" }).ClickAsync();

        var day = LocalDatePattern.CreateWithInvariantCulture("d MMM");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"tom is away {day.Format(first)} to {day.Format(last)}; {moving.Count} task(s) moved to backups.");
        var tomsRow = page.Locator("tbody tr", new() { Has = page.Locator("td:first-child", new() { HasText = "Tom Becker" }) });
        await Expect(tomsRow).ToContainTextAsync($"Away until {day.Format(last)}");
        await Screenshots.SaveAsync(page);

        foreach (var task in moving)
        {
            Assert.Equal("aisha", await app.AssigneeOfAsync(task.Id));
        }

        // tom's backup, aisha, now finds them on My work, each saying whose work it is and why.
        await using var aisha = await app.SignedInAsync("aisha");
        foreach (var task in moving)
        {
            var item = aisha.Page.Locator($"li.task[data-task='{task.Id}']");
            await Expect(item).ToContainTextAsync(task.Title);
            await Expect(item.Locator(".routing")).ToHaveTextAsync($"Tom Becker is away on {LocalDatePattern.Iso.Format(task.DueOn!.Value)}; covered by backup Aisha Bello.");
        }

        await Screenshots.SaveAsync(aisha.Page, "aisha-my-work");
    }
}
