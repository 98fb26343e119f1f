using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ensemble.Web.Pages;

/// <summary>Ends the session (POST only, with the anti-forgery token, so a link elsewhere cannot sign anyone out).</summary>
[Access(AccessKind.AnyStaff)]
public sealed class SignOutModel(SignInManager<UserAccount> signIn) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/sign-in");
    }
}
