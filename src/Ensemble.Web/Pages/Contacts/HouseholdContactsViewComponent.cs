using Ensemble.Households;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Ensemble.Web.Pages.Contacts;

/// <summary>What the household page's contact section shows.</summary>
public sealed record HouseholdContactsView(string Key, HouseholdContacts Contacts, LocalDate Today, string? Message, bool Failed)
{
    public static IReadOnlyList<string> Kinds => LifeEventKinds.All;
}

/// <summary>
/// The household page's "Occasions and contacts": the coming occasions with the decision, channel and owner
/// planning gives each, the contact processes started lately, and the recorded life events with a form to record
/// one. The form posts to <see cref="LifeEventsModel"/>.
/// </summary>
public sealed class HouseholdContactsViewComponent(EnsembleDb db, IClock clock) : ViewComponent
{
    public const string MessageKey = "ContactMessage";

    /// <summary>How far ahead the section looks.</summary>
    public const int Days = 60;

    public async Task<IViewComponentResult> InvokeAsync(string key, string? message = null, bool failed = false)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var planner = new ContactPlanner(db, clock);
        var contacts = await planner.ForHouseholdAsync(HouseholdRoute.Id(HttpContext), Days, cancellationToken);
        var today = (await Ensemble.Storage.Work.WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        if (message is null && TempData[MessageKey] is string stored)
        {
            message = stored;
            failed = TempData[MessageKey + ":failed"] is true;
        }

        return View("~/Pages/Contacts/_HouseholdContacts.cshtml", new HouseholdContactsView(key, contacts, today, message, failed));
    }
}
