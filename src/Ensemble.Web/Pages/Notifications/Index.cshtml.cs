using Ensemble.Storage;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Pages.Shared.Components.NotificationBadge;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;

namespace Ensemble.Web.Pages.Notifications;

/// <summary>My notifications: meeting reminders and the like, newest first, marked read one by one or all at once.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers, IMemoryCache cache) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<NotificationView> Items { get; private set; } = [];

    public bool UnreadOnly { get; private set; }

    public int Offset { get; private set; }

    public bool More { get; private set; }

    public int Unread { get; private set; }

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(bool unread, int offset, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        var inbox = new NotificationInbox(db);
        UnreadOnly = unread;
        Offset = Math.Max(0, offset);
        var page = await inbox.ListAsync(caller.StaffId, now, unread, PageSize + 1, Offset, cancellationToken);
        Items = page.Take(PageSize).ToList();
        More = page.Count > PageSize;
        Unread = await inbox.UnreadCountAsync(caller.StaffId, now, cancellationToken);
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
    }

    public async Task<IActionResult> OnPostReadAsync(long id, bool unread, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var read = await new NotificationInbox(db).MarkReadAsync(caller.StaffId, id, clock.GetCurrentInstant(), cancellationToken);
        NotificationBadgeViewComponent.Forget(cache, caller.StaffId);
        Message = read is null ? "That notification is not one of yours." : $"Marked read: {read.Title}";
        return RedirectToPage(new { unread = unread ? true : (bool?)null });
    }

    public async Task<IActionResult> OnPostReadAllAsync(bool unread, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var marked = await new NotificationInbox(db).MarkAllReadAsync(caller.StaffId, clock.GetCurrentInstant(), cancellationToken);
        NotificationBadgeViewComponent.Forget(cache, caller.StaffId);
        Message = marked == 0 ? "Nothing was unread." : $"Marked {marked} notification{(marked == 1 ? "" : "s")} read.";
        return RedirectToPage(new { unread = unread ? true : (bool?)null });
    }

    public string When(Instant at) => at.InZone(Zone).ToString("ddd d MMM uuuu, HH:mm", null);

    /// <summary>Only links within the app are followed.</summary>
    public static bool IsLocal(string? link) => link is { Length: > 1 } && link[0] == '/' && link[1] != '/' && link[1] != '\\';
}
