using System.Text.RegularExpressions;
using Ensemble.Browser.Tests.Testing;
using Ensemble.Storage.Library;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>The process library: a template's diagram and its manual.</summary>
public sealed class LibraryTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task OpeningATemplate_LoadsItsDiagram_AndShowsTheManualsNumberedSteps()
    {
        await using var db = app.OpenDb();
        var (_, template) = (await new TemplateLibrary(db, new NodaTime.Testing.FakeClock(BrowserApp.Now)).ShowAsync("review-meeting")).Value;
        await using var session = await app.SignedInAsync("grace");
        var page = session.Page;
        var diagram = page.WaitForResponseAsync(new Regex("/api/templates/review-meeting/diagram\\.svg"));

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Library" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Process library", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = template.Name, Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(app.Url("/library/review-meeting"));
        await Expect(page.Locator("main > h1")).ToContainTextAsync(template.Name);

        // The diagram is served as SVG and the browser draws it.
        var response = await diagram;
        Assert.Equal(200, response.Status);
        Assert.StartsWith("image/svg+xml", await response.HeaderValueAsync("content-type") ?? "", StringComparison.Ordinal);
        var image = page.Locator(".diagram img");
        await Expect(image).ToHaveAttributeAsync("alt", new Regex($"{template.Steps.Count} steps"));
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        Assert.True(await image.EvaluateAsync<int>("img => img.naturalWidth") > 0);

        // The manual numbers every step, each under its title.
        var steps = page.Locator("article.manual > ol > li");
        await Expect(steps).ToHaveCountAsync(template.Steps.Count);
        Assert.Equal("1", await page.Locator("article.manual > ol").EvaluateAsync<string>("ol => String(ol.start)"));
        var titles = await steps.EvaluateAllAsync<string[]>("items => items.map(i => i.querySelector('strong').textContent)");
        Assert.Equal(template.Steps.Select(s => s.Title).Order(StringComparer.Ordinal), titles.Order(StringComparer.Ordinal));
        await Screenshots.SaveAsync(page);
    }
}
