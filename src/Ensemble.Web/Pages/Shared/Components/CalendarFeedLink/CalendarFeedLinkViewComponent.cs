using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;

namespace Ensemble.Web.Pages.Shared.Components.CalendarFeedLink;

/// <summary>The address of my calendar feed, to paste into a calendar app, with a copy button.</summary>
public sealed class CalendarFeedLinkViewComponent(CurrentCaller callers) : ViewComponent
{
    public sealed record Link(string Https, string Webcal);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (await callers.GetAsync(HttpContext.RequestAborted) is not { } caller)
        {
            return Content("");
        }

        var address = CalendarFeedSecrets.From(HttpContext.RequestServices).Address(HttpContext.Request, caller.Handle, caller.StaffId);
        var webcal = "webcal" + address[address.IndexOf(':', StringComparison.Ordinal)..];
        return View(new Link(address, webcal));
    }
}
