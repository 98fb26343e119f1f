using System.Globalization;
using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ensemble.Web.Pages.Account;

/// <summary>My sign-in: change the password, turn the authenticator (TOTP) second step on or off.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class SecurityModel(UserManager<UserAccount> users, SignInManager<UserAccount> signIn) : PageModel
{
    public bool TwoFactorEnabled { get; private set; }

    public string? SharedKey { get; private set; }

    public string? AuthenticatorUri { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        if (!TwoFactorEnabled)
        {
            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                await users.ResetAuthenticatorKeyAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user);
            }

            SharedKey = key;
            AuthenticatorUri = string.Create(CultureInfo.InvariantCulture, $"otpauth://totp/Ensemble:{Uri.EscapeDataString(user.UserName)}?secret={key}&issuer=Ensemble&digits=6");
        }

        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(string? code)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, (code ?? "").Replace(" ", "", StringComparison.Ordinal));
        if (!valid)
        {
            Message = "That code is not valid; check the time on your phone and try the current code.";
            return RedirectToPage();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await signIn.RefreshSignInAsync(user);
        Message = "The authenticator is on: sign-in will ask for a code from now on.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        Message = "The authenticator is off.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? current, string? next)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var changed = await users.ChangePasswordAsync(user, current ?? "", next ?? "");
        Message = changed.Succeeded ? "Password changed." : string.Join(" ", changed.Errors.Select(e => e.Description));
        if (changed.Succeeded)
        {
            await signIn.RefreshSignInAsync(user);
        }

        return RedirectToPage();
    }
}
