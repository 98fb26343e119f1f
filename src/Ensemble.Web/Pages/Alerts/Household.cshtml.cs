using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Alerts;

/// <summary>
/// The household page's alert forms. With JavaScript the refreshed section comes back in place; without it the
/// browser returns to the household page at the section, with the outcome shown there.
/// </summary>
[Access(AccessKind.Household)]
public sealed class HouseholdModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public IActionResult OnGet(string key) => Back(key);

    public async Task<IActionResult> OnPostAsync(string key, long id, int? version, string? act, string? note, string? until, CancellationToken cancellationToken)
    {
        // The access rule checked the household in the route; the alert must be one of its own.
        if (await new AlertViews(db, clock).HouseholdOfAsync(new Ensemble.Advisory.Alerts.AlertId(id), cancellationToken) != HouseholdRoute.Id(HttpContext))
        {
            return Respond(key, $"Alert {id} is not one of this household's.", failed: true);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var result = await AlertActions.ActAsync(db, clock, caller.Handle, id, version, act, note, until, cancellationToken);
        return result.IsSuccess
            ? Respond(key, AlertActions.Done(result.Value), failed: false)
            : Respond(key, "Nothing changed: " + AlertActions.Message(result.Error!), failed: true);
    }

    private IActionResult Respond(string key, string message, bool failed)
    {
        if (Request.Headers.XRequestedWith == "fetch")
        {
            return new ViewComponentResult { ViewComponentName = "HouseholdAlerts", Arguments = new { key, message, failed } };
        }

        TempData[HouseholdAlertsViewComponent.MessageKey] = message;
        TempData[HouseholdAlertsViewComponent.MessageKey + ":failed"] = failed;
        return Back(key);
    }

    private RedirectResult Back(string key) => Redirect($"/households/{Uri.EscapeDataString(key)}#alerts");
}
