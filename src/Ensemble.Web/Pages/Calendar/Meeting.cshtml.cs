using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Pages.Calendar;

/// <summary>
/// One meeting of a household's service calendar: what and when, the meeting that would follow it, and the tasks
/// of the process that prepares and follows it up. Also takes the household page's calendar forms (mark held,
/// book the next, cancel): with JavaScript the refreshed section comes back in place; without it the browser
/// returns to where the form was, with the outcome shown there.
/// </summary>
[Access(AccessKind.Household)]
public sealed class MeetingModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public TouchpointView Meeting { get; private set; } = null!;

    public TouchpointProposal? Next { get; private set; }

    public IReadOnlyList<TaskView> Tasks { get; private set; } = [];

    public LocalDate Today { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string key, long id, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Meeting = (await new ServiceCalendarViews(db).FindAsync(new TouchpointId(id), cancellationToken))!;
        if (Meeting.Status == Ensemble.ServiceModel.TouchpointStatus.Planned || Meeting.Status == Ensemble.ServiceModel.TouchpointStatus.Held)
        {
            var next = await new ServiceCalendar(db, clock).ProposeNextAsync(new TouchpointId(id), cancellationToken);
            Next = next.IsSuccess ? next.Value : null;
        }

        Tasks = Meeting.ProcessId is { } process ? await new TaskViews(db).ForInstanceAsync(new InstanceId(process), cancellationToken) : [];
        Today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        return Page();
    }

    public async Task<IActionResult> OnPostHeldAsync(string key, long id, string? note, bool bookNext, string? back, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var held = await new ServiceCalendar(db, clock).MarkHeldAsync(new TouchpointId(id), note, bookNext, caller.Handle, cancellationToken);
        if (!held.IsSuccess)
        {
            return Respond(key, id, back, held.Error!.Message, failed: true);
        }

        var outcome = held.Value;
        var message = $"Marked {outcome.Held.Title} of {outcome.Held.StartsAt.ToString("d MMM", null)} held."
            + (outcome.Booked is { } booked
                ? $" Booked the next: {booked.Title} on {booked.StartsAt.ToString("ddd d MMM uuuu, HH:mm", null)}, with its preparation started."
                : outcome.Next is { } next ? " Next in line: " + next.Describe() : "");
        return Respond(key, id, back, message, failed: false);
    }

    public async Task<IActionResult> OnPostBookNextAsync(string key, long id, string? back, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var booked = await new ServiceCalendar(db, clock).BookNextAsync(new TouchpointId(id), caller.Handle, cancellationToken);
        return booked.IsSuccess
            ? Respond(key, id, back, $"Booked {booked.Value.Title} on {booked.Value.StartsAt.ToString("ddd d MMM uuuu, HH:mm", null)}, with its preparation started.", failed: false)
            : Respond(key, id, back, booked.Error!.Message, failed: true);
    }

    public async Task<IActionResult> OnPostCancelAsync(string key, long id, string? reason, string? back, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var cancelled = await new ServiceCalendar(db, clock).CancelAsync(new TouchpointId(id), reason, caller.Handle, cancellationToken);
        return cancelled.IsSuccess
            ? Respond(key, id, back, $"Cancelled {cancelled.Value.Title} of {cancelled.Value.StartsAt.ToString("d MMM uuuu", null)}; its preparation was stopped.", failed: false)
            : Respond(key, id, back, cancelled.Error!.Message, failed: true);
    }

    /// <summary>A meeting is reached through its own household only.</summary>
    private Task<bool> BelongsAsync(long id, CancellationToken cancellationToken)
    {
        var household = HouseholdRoute.Id(HttpContext);
        return db.Touchpoints.AsNoTracking().AnyAsync(t => t.Id == new TouchpointId(id) && t.HouseholdId == household, cancellationToken);
    }

    private IActionResult Respond(string key, long id, string? back, string message, bool failed)
    {
        if (Request.Headers.XRequestedWith == "fetch")
        {
            return new ViewComponentResult { ViewComponentName = "HouseholdCalendar", Arguments = new { key, message, failed } };
        }

        if (back == "meeting")
        {
            Message = message;
            return Redirect($"/households/{Uri.EscapeDataString(key)}/touchpoints/{id}");
        }

        TempData[HouseholdCalendarViewComponent.MessageKey] = message;
        TempData[HouseholdCalendarViewComponent.MessageKey + ":failed"] = failed;
        return Redirect($"/households/{Uri.EscapeDataString(key)}#calendar");
    }
}
