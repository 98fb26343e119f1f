using System.Text.RegularExpressions;
using Ensemble.Browser.Tests.Testing;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ensemble.Browser.Tests.Communications.Campaigns;

/// <summary>
/// A Form ADV letter to every A and B household, as a new user would do it: written by a wealth partner (a misspelt
/// merge field is caught at its line and column first), approved by the compliance officer, sent, and followed.
/// </summary>
public sealed partial class CampaignJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Body = """
        Dear {{ person.first_name | default: "client" }},

        As every year, our Form ADV Part 2A brochure is enclosed. It describes our services, fees and conflicts of interest.
        Please read it by {{ deadline }}; it is also on our website.
        {{ advisor.nme }}
        {{ firm.name }}
        """;

    [Fact]
    public async Task AFormAdvLetterForAAndBHouseholds_IsWrittenByOne_ApprovedByComplianceAsAnother_AndSent()
    {
        string detail;
        await using (var david = await app.SignedInAsync("david"))
        {
            var page = david.Page;
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Campaigns", Level = 1 })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "New campaign" }).ClickAsync();

            var form = page.Locator("form.campaign-form");
            await form.Locator("input[name='Form.Name']").FillAsync("Form ADV 2026");
            await form.Locator("select[name='Form.Kind']").SelectOptionAsync("form-adv");
            await form.Locator("input[name='Form.Subject']").FillAsync("Our Form ADV brochure for {{ household.name }}");
            await form.Locator("textarea[name='Form.Body']").FillAsync(Body);
            await form.GetByRole(AriaRole.Checkbox, new() { Name = "A", Exact = true }).CheckAsync();
            await form.GetByRole(AriaRole.Checkbox, new() { Name = "B", Exact = true }).CheckAsync();
            await form.Locator("input[name='Form.SaveAudienceAs']").FillAsync("A and B clients, 2026");
            await form.Locator("input[name='Form.Deadline']").FillAsync("2026-04-30");
            await form.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

            // Saved as a draft, with the misspelt field named beside the message at its line and column, and no way to submit it.
            await page.WaitForURLAsync(CampaignPage());
            detail = new Uri(page.Url).AbsolutePath;
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved “Form ADV 2026” as a draft.");
            await Expect(page.Locator("#e-body")).ToContainTextAsync("Line 5, column 4: Unknown merge field \"advisor.nme\". Did you mean advisor.name?");
            await Expect(page.Locator("textarea[name='Form.Body']")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator(".campaign-audience")).ToContainTextAsync("A and B clients, 2026: tier A or B · clients.");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Submit for approval" })).ToHaveCountAsync(0);

            await page.Locator("textarea[name='Form.Body']").FillAsync(Body.Replace("advisor.nme", "advisor.name", StringComparison.Ordinal));
            await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
            await Expect(page.Locator("#e-body")).ToHaveCountAsync(0);
            await Expect(page.Locator(".message-preview .preview-subject")).ToContainTextAsync("Our Form ADV brochure for The ");

            await page.GetByRole(AriaRole.Button, new() { Name = "Submit for approval" }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Submitted for approval.");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Waiting for approval");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(page, "submitted");
        }

        await using (var omar = await app.SignedInAsync("omar"))
        {
            var page = omar.Page;
            await page.GotoAsync("/campaigns?status=pending-approval");
            await page.GetByRole(AriaRole.Link, new() { Name = "Form ADV 2026" }).ClickAsync();
            await page.WaitForURLAsync(CampaignPage());
            await page.Locator("form.review-form").GetByRole(AriaRole.Textbox, new() { Name = "Comment" }).FillAsync("Brochure matches the version filed with the SEC.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved. It may now be sent.");
            await Expect(page.Locator(".review-history")).ToContainTextAsync("approved by omar: “Brochure matches the version filed with the SEC.”");

            var send = page.GetByRole(AriaRole.Button, new() { NameRegex = SendButton() });
            var households = int.Parse(SendButton().Match(await send.InnerTextAsync()).Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(households > 0, "No A or B household would get the letter.");
            await send.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Queued {households} messages");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delivery" })).ToBeVisibleAsync();
            // Every message is counted; some may have left already, since the app's outbox worker puts letters in the print batch at once.
            await Expect(page.Locator(".delivery-counts")).ToContainTextAsync($"{households} messages");
            await Screenshots.SaveAsync(page, "sent");

            // At phone width the page reads in one column and nothing scrolls sideways.
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The campaign page scrolls sideways at phone width.");
            await Screenshots.SaveAsync(page, "phone");

            await using var db = app.OpenDb();
            var id = long.Parse(detail.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
            var messages = await db.Outbox.AsNoTracking().Where(m => m.CampaignId == id).Select(m => new { m.Kind, m.HouseholdId }).ToListAsync();
            Assert.Equal(households, messages.Count);
            Assert.All(messages, m => Assert.Equal("form-adv", m.Kind));
            var tiers = await db.HouseholdTiers.AsNoTracking().ToListAsync();
            var wanted = tiers.Where(t => t.InForceOn(BrowserApp.Today) is ServiceTier.A or ServiceTier.B).Select(t => t.HouseholdId).ToHashSet();
            Assert.All(messages, m => Assert.Contains(m.HouseholdId!.Value, wanted));
            var doNotContact = await db.Households.AsNoTracking().Where(h => h.DoNotContact).Select(h => h.Id).ToListAsync();
            Assert.DoesNotContain(messages, m => doNotContact.Contains(m.HouseholdId!.Value));
        }
    }

    private static Regex CampaignPage() => new(@"/campaigns/\d+$");

    [GeneratedRegex(@"^Send to (?<n>\d+) households$")]
    private static partial Regex SendButton();
}
