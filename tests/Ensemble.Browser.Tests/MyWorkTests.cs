using Ensemble.Browser.Tests.Testing;
using Ensemble.Processes.Running;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>
/// A paraplanner's day on My work: the list, completing and skipping in place, and following a household from it.
/// Each test acts on a different household of tom's (see <see cref="Firm.OpenTaskAsync"/>), so the order they run in
/// does not matter.
/// </summary>
public sealed class MyWorkTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string CheckAccounts = "verify-linked-accounts";
    private const string ContactAdvisors = "contact-trusted-advisors";

    /// <summary>
    /// What completing "Check accounts and policies are linked" starts in a review meeting: the paraplanner's too, unless
    /// it falls due while they are away (tom is, next week), so the tests pick tasks due after that.
    /// </summary>
    private const string PrepareReviewPack = "Prepare the review pack";

    [Fact]
    public async Task MyWork_ShowsThePersonsOpenTasks_GroupedByHousehold()
    {
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;
        var expected = await app.OpenTasksOfAsync("tom");
        Assert.NotEmpty(expected);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My work", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("p.lead")).ToContainTextAsync("Tom Becker");

        // Every task shown is one of tom's open tasks, and all of them are shown, each under its own household.
        var shown = await page.Locator("li.task").EvaluateAllAsync<string[]>(
            "items => items.map(i => i.dataset.task + ' ' + i.closest('.household-group').querySelector('h3 a').getAttribute('href'))");
        Assert.Equal(
            expected.Select(t => $"{t.Id} /households/{t.HouseholdKey}").Order(StringComparer.Ordinal),
            shown.Order(StringComparer.Ordinal));

        // Within a section a household appears once, however many of its tasks are due.
        var sections = page.Locator("section.work-section");
        Assert.True(await sections.CountAsync() > 0);
        foreach (var section in await sections.AllAsync())
        {
            var households = await section.Locator(".household-group h3 a").AllTextContentsAsync();
            Assert.Equal(households.Count, households.Distinct(StringComparer.Ordinal).Count());
        }

        await Screenshots.SaveAsync(page);

        // On a phone the same list fits the screen: no sideways scrolling.
        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.Locator("li.task").First).ToBeVisibleAsync();
        Assert.True(
            await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"My work is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 390 px screen.");
        await Screenshots.SaveAsync(page, "phone-390");
    }

    [Fact]
    public async Task CompletingATask_InPlace_RemovesIt_AndNamesTheNextTask_WithoutReloading()
    {
        var target = await app.OpenTaskAsync("tom", CheckAccounts, index: 0, afterAbsences: true);
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;
        var before = page.Url;
        await page.EvaluateAsync("() => { window.__marker = 1; }");

        // Counted from here: the round trip above has delivered the sign-in's own load event already.
        var loads = 0;
        page.Load += (_, _) => loads++;

        var task = page.Locator($"li.task[data-task='{target.Id}']");
        await task.GetByRole(AriaRole.Button, new() { Name = $"Complete {target.Title}" }).ClickAsync();

        await Expect(task).ToHaveCountAsync(0);
        var status = page.Locator("#work [role=status]");
        await Expect(status).ToHaveTextAsync($"Completed “{target.Title}”. Next: “{PrepareReviewPack}”.");

        // The next step is the paraplanner's too: it joins the list under the same household.
        var household = page.Locator(".household-group").Filter(new() { Has = page.Locator($"h3 a[href='/households/{target.HouseholdKey}']") });
        await Expect(household.Locator("li.task", new() { HasText = PrepareReviewPack })).ToHaveCountAsync(1);

        // No navigation happened: same address, no load event, and the page's own state survived.
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__marker"));
        Assert.Equal(before, page.Url);
        Assert.Equal(0, loads);
        Assert.Equal(WorkTaskStatus.Done, await app.TaskStatusAsync(target.Id));
        await Screenshots.SaveAsync(page);
    }

    [Fact]
    public async Task SkippingATask_AsksForAReason_ThenRemovesIt()
    {
        var target = await app.OpenTaskAsync("tom", ContactAdvisors, index: 1);
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;

        var task = page.Locator($"li.task[data-task='{target.Id}']");
        await task.Locator("summary", new() { HasText = "Skip…" }).ClickAsync();
        var reason = task.GetByLabel("Why skip it?");
        await Expect(reason).ToBeVisibleAsync();

        // Without a reason the browser refuses to send the form and points at the empty field.
        await task.GetByRole(AriaRole.Button, new() { Name = "Skip task" }).ClickAsync();
        Assert.True(await reason.EvaluateAsync<bool>("e => e.validity.valueMissing"));
        Assert.NotEqual("", await reason.EvaluateAsync<string>("e => e.validationMessage"));
        await Expect(reason).ToBeFocusedAsync();
        await Expect(task).ToHaveCountAsync(1);
        Assert.Equal(0, posts);
        Assert.Equal(WorkTaskStatus.Open, await app.TaskStatusAsync(target.Id));
        await Screenshots.SaveAsync(page, "reason-required");

        await reason.FillAsync("The household has not authorised contact with its CPA.");
        await task.GetByRole(AriaRole.Button, new() { Name = "Skip task" }).ClickAsync();

        await Expect(task).ToHaveCountAsync(0);
        await Expect(page.Locator("#work [role=status]")).ToHaveTextAsync($"Skipped “{target.Title}”.");
        Assert.Equal(1, posts);
        Assert.Equal(WorkTaskStatus.Skipped, await app.TaskStatusAsync(target.Id));
        await Screenshots.SaveAsync(page);
    }

    [Fact]
    public async Task OpeningAHousehold_FromMyWork_ShowsTheCompletedTaskOnItsTimeline()
    {
        var target = await app.OpenTaskAsync("tom", CheckAccounts, index: 2, afterAbsences: true);
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;
        var task = page.Locator($"li.task[data-task='{target.Id}']");
        if (!await task.IsVisibleAsync())
        {
            // Work due beyond two weeks is folded away until asked for.
            await page.Locator("details.later-work > summary").ClickAsync();
        }

        await task.GetByRole(AriaRole.Button, new() { Name = $"Complete {target.Title}" }).ClickAsync();
        await Expect(task).ToHaveCountAsync(0);

        // The list was redrawn with later work folded away again; unfold it if that is where the household is.
        var link = page.Locator($".household-group h3 a[href='/households/{target.HouseholdKey}']").Filter(new() { Visible = true });
        if (await link.CountAsync() == 0)
        {
            await page.Locator("details.later-work > summary").ClickAsync();
        }

        await link.First.ClickAsync();

        await Expect(page).ToHaveURLAsync(app.Url($"/households/{target.HouseholdKey}"));
        await Expect(page.Locator("p.lead")).ToContainTextAsync(target.HouseholdKey!);
        var completed = page.Locator("ol.timeline li", new() { HasText = $"Completed task “{target.Title}”" });
        await Expect(completed).ToHaveCountAsync(1);
        await Expect(completed).ToContainTextAsync("by tom");

        // The step it released is now open work on the household.
        var open = page.Locator("section[aria-labelledby=h-open] li", new() { HasText = PrepareReviewPack });
        await Expect(open).ToContainTextAsync("paraplanner · tom");
        await Screenshots.SaveAsync(page);
    }
}
