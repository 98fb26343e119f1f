using System.Text.RegularExpressions;
using Ensemble.Browser.Tests.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>Signing in with a handle and password, by mouse and by keyboard.</summary>
public sealed class SignInTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SignIn_WithHandleAndPassword_LandsOnMyWork()
    {
        await using var session = await app.OpenAsync();
        var page = session.Page;

        // Asking for My work first sends the browser to sign in, and back afterwards.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in\\?returnUrl=%2F$"));

        await page.GetByLabel("Handle").FillAsync("tom");
        await page.GetByLabel("Password").FillAsync(BrowserApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(app.Url("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My work", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("p.lead")).ToContainTextAsync("Tom Becker");
        await Expect(page.Locator("header .who")).ToHaveTextAsync("tom");
        await Screenshots.SaveAsync(page);
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsErrorAndStaysOnSignIn()
    {
        await using var session = await app.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/sign-in");

        await page.GetByLabel("Handle").FillAsync("grace");
        await page.GetByLabel("Password").FillAsync("not-the-password-at-all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That handle and password do not match.");
        await Expect(page).ToHaveURLAsync(app.Url("/sign-in"));
        await Expect(page.GetByLabel("Handle")).ToHaveValueAsync("grace");
        await Expect(page.GetByLabel("Password")).ToBeEmptyAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page);
    }

    [Fact]
    public async Task SignIn_ByKeyboard_TabsThroughHandlePasswordAndButton_AndEnterSubmits()
    {
        await using var session = await app.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/sign-in");
        var handle = page.GetByLabel("Handle");
        var password = page.GetByLabel("Password");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Sign in" });

        // The handle has focus on arrival, ready to type.
        await Expect(handle).ToBeFocusedAsync();

        // From the top of the page (the skip link), Tab visits the fields and the button in reading order.
        await page.Locator("a.skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(handle).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("aisha");
        await page.Keyboard.PressAsync("Tab");
        await Expect(password).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(BrowserApp.Password);
        await page.Keyboard.PressAsync("Tab");
        await Expect(button).ToBeFocusedAsync();
        await Screenshots.SaveAsync(page);

        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(app.Url("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My work", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("p.lead")).ToContainTextAsync("Aisha Bello");
    }
}
