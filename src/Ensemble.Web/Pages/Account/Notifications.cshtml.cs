using Ensemble.Storage;
using Ensemble.Storage.Communications.Notifications;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ensemble.Web.Pages.Account;

/// <summary>My notification emails: the daily digest, meeting reminders, new alerts in the digest — each on or off.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class NotificationsModel(EnsembleDb db, CurrentCaller callers) : PageModel
{
    public NotificationPreferencesView Preferences { get; private set; } = null!;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var view = await new NotificationPreferencesStore(db).GetAsync(caller.StaffId, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        Preferences = view;
        return Page();
    }

    // An unchecked box is not posted, so each choice is read as "posted or not".
    public async Task<IActionResult> OnPostAsync(bool dailyDigest, bool meetingReminders, bool alertsInDigest, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var saved = await new NotificationPreferencesStore(db).SetAsync(caller.StaffId, dailyDigest, meetingReminders, alertsInDigest, caller.Handle, cancellationToken);
        Message = saved.IsSuccess ? "Saved: Ensemble emails you as chosen below." : saved.Error!.Message;
        return RedirectToPage();
    }
}
