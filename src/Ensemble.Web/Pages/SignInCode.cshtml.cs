using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Ensemble.Web.Pages;

/// <summary>The second step of sign-in for accounts with an authenticator (TOTP).</summary>
[Access(AccessKind.Anonymous)]
[EnableRateLimiting(WebServices.SignInLimit)]
public sealed class SignInCodeModel(SignInManager<UserAccount> signIn) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        Message = result.IsLockedOut ? "Too many failed attempts: this sign-in is locked for 15 minutes." : "That code is not valid; codes change every 30 seconds.";
        return Page();
    }
}
