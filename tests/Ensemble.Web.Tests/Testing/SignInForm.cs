using System.Net;
using System.Text.RegularExpressions;

namespace Ensemble.Web.Tests.Testing;

/// <summary>Signing in the way a browser does: read the form's anti-forgery token, post the form.</summary>
public static partial class SignInForm
{
    /// <summary>A browser-like client: its own cookie jar, connecting from an address no other test uses.</summary>
    public static HttpClient Browser(this EnsembleApp app) =>
        app.Client(from: EnsembleApp.FreshClientAddress(), cookies: new CookieContainer());

    /// <summary>Opens /sign-in and returns the form's anti-forgery token (its cookie is now in the client's jar).</summary>
    public static async Task<string> OpenAsync(HttpClient browser)
    {
        using var page = await browser.GetAsync("/sign-in");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET /sign-in: {(int)page.StatusCode}");
        var input = HiddenToken().Match(html);
        Assert.True(input.Success, "The sign-in form carries no __RequestVerificationToken.");
        return WebUtility.HtmlDecode(input.Groups["value"].Value);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient browser, string token, string handle, string password, string? returnUrl = null) =>
        browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = handle,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = returnUrl ?? "",
        }));

    /// <summary>Signs in and asserts it worked: a redirect away from the form.</summary>
    public static async Task SignInAsync(HttpClient browser, string handle, string password = EnsembleApp.Password)
    {
        var token = await OpenAsync(browser);
        using var response = await PostAsync(browser, token, handle, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Signing in as {handle}: {(int)response.StatusCode}, expected 302.");
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]*)\"|<input[^>]*value=\"(?<value>[^\"]*)\"[^>]*name=\"__RequestVerificationToken\"")]
    private static partial Regex HiddenToken();
}
