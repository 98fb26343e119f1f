using Ensemble.Common;
using Ensemble.Storage;
using Ensemble.Storage.Practice;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;

namespace Ensemble.Web.Pages.Shared.Components.NotificationBadge;

/// <summary>
/// The header's link to my notifications with the unread count. The count is kept for <see cref="Freshness"/>
/// per person on each node, so page views do not each cost a query; reading a notification forgets it at once.
/// </summary>
public sealed class NotificationBadgeViewComponent(CurrentCaller callers, EnsembleDb db, IClock clock, IMemoryCache cache) : ViewComponent
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (await callers.GetAsync(cancellationToken) is not { } caller)
        {
            return Content("");
        }

        var unread = await cache.GetOrCreateAsync(Key(caller.StaffId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Freshness;
            return new NotificationInbox(db).UnreadCountAsync(caller.StaffId, clock.GetCurrentInstant(), cancellationToken);
        });
        return View(unread);
    }

    /// <summary>Forgets a person's cached count on this node, after they read something.</summary>
    public static void Forget(IMemoryCache cache, StaffId staffId) => cache.Remove(Key(staffId));

    private static string Key(StaffId staffId) => $"notifications:unread:{staffId.Value}";
}
