using Ensemble.Households;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Pages.Contacts;

/// <summary>
/// Records a life event from the household page; its contact starts at once. With JavaScript the refreshed
/// section comes back in place; without it the browser returns to the household page at the section.
/// </summary>
[Access(AccessKind.Household)]
public sealed class LifeEventsModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public IActionResult OnGet(string key) => Back(key);

    public async Task<IActionResult> OnPostAsync(string key, string? kind, string? on, string? member, string? note, CancellationToken cancellationToken)
    {
        if (!LifeEventKinds.TryParse(kind, out var parsedKind))
        {
            return Respond(key, "Choose what happened.", failed: true);
        }

        var date = LocalDatePattern.Iso.Parse(on ?? "");
        if (!date.Success)
        {
            return Respond(key, "Give the date it happened (or will), e.g. 2026-11-02.", failed: true);
        }

        if (note is { Length: > 2000 })
        {
            return Respond(key, "The note can be at most 2000 characters.", failed: true);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var recorded = await new ContactPlanner(db, clock).RecordLifeEventAsync(
            HouseholdRoute.Id(HttpContext), parsedKind, date.Value, string.IsNullOrWhiteSpace(member) ? null : member, note, caller.Handle, cancellationToken);
        return recorded.IsSuccess ? Respond(key, recorded.Value.Outcome, failed: false) : Respond(key, recorded.Error!.Message, failed: true);
    }

    private IActionResult Respond(string key, string message, bool failed)
    {
        if (Request.Headers.XRequestedWith == "fetch")
        {
            return new ViewComponentResult
            {
                ViewComponentName = "HouseholdContacts",
                Arguments = new { key, message, failed },
            };
        }

        TempData[HouseholdContactsViewComponent.MessageKey] = message;
        TempData[HouseholdContactsViewComponent.MessageKey + ":failed"] = failed;
        return Back(key);
    }

    private RedirectResult Back(string key) => Redirect($"/households/{Uri.EscapeDataString(key)}#contacts");
}
