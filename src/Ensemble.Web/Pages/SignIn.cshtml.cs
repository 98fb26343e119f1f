using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Ensemble.Web.Pages;

/// <summary>Password sign-in; locks the account after repeated failures and limits attempts per address.</summary>
[Access(AccessKind.Anonymous)]
[EnableRateLimiting(WebServices.SignInLimit)]
public sealed class SignInModel(SignInManager<UserAccount> signIn) : PageModel
{
    public sealed class Credentials
    {
        public string UserName { get; set; } = "";

        public string Password { get; set; } = "";
    }

    [BindProperty]
    public Credentials Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(Input.UserName.Trim().ToLowerInvariant(), Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturn(ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/SignInCode", new { returnUrl = SafeReturn(ReturnUrl) });
        }

        Message = result.IsLockedOut
            ? "Too many failed attempts: this sign-in is locked for 15 minutes."
            : "That handle and password do not match.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    private string SafeReturn(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";
}
