using System.Net;
using Ensemble.Storage;
using Ensemble.Web.Tests.Testing;

namespace Ensemble.Web.Tests.Security;

/// <summary>Password guessing is slowed per address (10 attempts a minute) and stopped per account (5 failures lock it).</summary>
[Collection(WebAppCollection.Name)]
public sealed class SignInThrottleTests(WebApps apps)
{
    [Theory, OnSqlite, OnPostgres]
    public async Task MoreThanTenAttemptsInAMinuteFromOneAddress_AreThrottled_OtherAddressesAreNot(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var guesser = app.Browser();
        var token = await SignInForm.OpenAsync(guesser);

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            using var response = await SignInForm.PostAsync(guesser, token, "nobody", $"guess-number-{attempt}");
            statuses.Add(response.StatusCode);
        }

        using var neighbour = app.Browser();
        var neighbourToken = await SignInForm.OpenAsync(neighbour);
        using var neighbourAttempt = await SignInForm.PostAsync(neighbour, neighbourToken, "nobody", "one-honest-mistake");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(10));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, neighbourAttempt.StatusCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FiveWrongPasswords_LockTheAccount_SoTheRightOneNoLongerSignsIn(StorageProvider provider)
    {
        var app = await apps.OnAsync(provider);
        using var browser = app.Browser();
        var token = await SignInForm.OpenAsync(browser);

        // ruth signs in nowhere else in these tests: her lockout affects no other test.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await SignInForm.PostAsync(browser, token, "ruth", $"not-the-password-{attempt}");
            Assert.NotEqual(HttpStatusCode.Redirect, wrong.StatusCode);
        }

        using var right = await SignInForm.PostAsync(browser, token, "ruth", EnsembleApp.Password);
        using var me = await browser.GetAsync("/api/me");

        Assert.NotEqual(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
