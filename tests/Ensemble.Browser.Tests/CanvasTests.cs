using Ensemble.Browser.Tests.Testing;
using Ensemble.Storage.Advisory;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests;

/// <summary>The alert canvas: the principal drags an alert type to another quadrant, or moves it with the keyboard; both are saved.</summary>
public sealed class CanvasTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string FixedRateEndingSoon = "mortgage.rate-ending/within-14-days";

    private const string ConcentratedHolding = "investments.concentration/over-35";

    [Fact]
    public async Task DraggingAnAlertType_IntoTheNotUrgentLowAdviceQuadrant_SavesItsNewPlace()
    {
        await using var session = await app.SignedInAsync("elena");
        var page = session.Page;
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/canvas");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alert canvas", Level = 1 })).ToBeVisibleAsync();

        var bubble = page.Locator($".alert-type[data-type='{FixedRateEndingSoon}']");
        await Expect(bubble).ToHaveAttributeAsync("data-quadrant", "UrgentAdvice");
        var plane = await page.Locator("#canvas-plane").BoundingBoxAsync();
        var from = await bubble.BoundingBoxAsync();
        Assert.NotNull(plane);
        Assert.NotNull(from);

        // Drag from its centre to a point 20% across and 20% up the plane.
        await page.Mouse.MoveAsync(from.X + (from.Width / 2), from.Y + (from.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(plane.X + (plane.Width * 0.2f), plane.Y + (plane.Height * 0.8f), new() { Steps = 8 });
        await page.Mouse.UpAsync();

        await Expect(page.Locator("#canvas-status")).ToContainTextAsync("not urgent, little advice");
        await Expect(bubble).ToHaveAttributeAsync("data-quadrant", "SelfService");
        await Screenshots.SaveAsync(page, "after-drag");
        await using (var db = app.OpenDb())
        {
            var type = (await AdvisorySettingsStore.GetAsync(db)).Type(FixedRateEndingSoon)!;
            Assert.InRange(type.Urgency, 18, 22);
            Assert.InRange(type.Sensitivity, 18, 22);
            Assert.True(type.Moved);
        }

        // It stays where it was put.
        await page.ReloadAsync();
        await Expect(page.Locator($".alert-type[data-type='{FixedRateEndingSoon}']")).ToHaveAttributeAsync("data-quadrant", "SelfService");
    }

    [Fact]
    public async Task TheArrowKeys_MoveAFocusedAlertType_AndEachStepIsSaved()
    {
        await using var session = await app.SignedInAsync("elena");
        var page = session.Page;
        await page.GotoAsync("/canvas");
        var bubble = page.Locator($".alert-type[data-type='{ConcentratedHolding}']");
        var before = int.Parse(await bubble.GetAttributeAsync("data-urgency") ?? "", System.Globalization.CultureInfo.InvariantCulture);

        await bubble.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");

        await Expect(bubble).ToHaveAttributeAsync("data-urgency", (before - 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#canvas-status")).ToContainTextAsync($"urgency {before - 10}");
        await using var db = app.OpenDb();
        Assert.Equal(before - 10, (await AdvisorySettingsStore.GetAsync(db)).Type(ConcentratedHolding)!.Urgency);
    }

    [Fact]
    public async Task AnAnswerToAnEarlierSave_ArrivingAfterTheNextKeyPress_DoesNotPutTheTypeBack()
    {
        await using var session = await app.SignedInAsync("elena");
        var page = session.Page;
        await page.GotoAsync("/canvas");
        var bubble = page.Locator($".alert-type[data-type='{ConcentratedHolding}']");
        var before = int.Parse(await bubble.GetAttributeAsync("data-sensitivity") ?? "", System.Globalization.CultureInfo.InvariantCulture);

        // Hold the first save's answer until the user has moved the type again, as a slow server would.
        var firstSaveSent = new TaskCompletionSource();
        var releaseFirstSave = new TaskCompletionSource();
        var saves = 0;
        await page.RouteAsync("**/canvas?handler=Move", async route =>
        {
            if (Interlocked.Increment(ref saves) == 1)
            {
                firstSaveSent.SetResult();
                await releaseFirstSave.Task;
            }

            await route.ContinueAsync();
        });

        await bubble.FocusAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await firstSaveSent.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await page.Keyboard.PressAsync("ArrowLeft");
        releaseFirstSave.SetResult();

        var expected = (before - 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator("#canvas-status")).ToContainTextAsync($"sensitivity {expected}");
        await Expect(bubble).ToHaveAttributeAsync("data-sensitivity", expected);
        await using var db = app.OpenDb();
        Assert.Equal(before - 10, (await AdvisorySettingsStore.GetAsync(db)).Type(ConcentratedHolding)!.Sensitivity);
    }

    [Fact]
    public async Task SomeoneWhoDoesNotManageThePractice_SeesTheCanvas_ButCannotMoveTypes()
    {
        await using var session = await app.SignedInAsync("tom");
        var page = session.Page;
        await page.GotoAsync("/canvas");

        await Expect(page.Locator(".alert-type").First).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Move" })).ToHaveCountAsync(0);
    }
}
