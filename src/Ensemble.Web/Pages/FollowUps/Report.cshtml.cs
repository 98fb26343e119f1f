using Ensemble.Advisory.Alerts;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>
/// What works: per alert type and channel, how often people respond, how fast alerts resolve and how often they come
/// back; and the types the figures say to move on the canvas, each movable from here in one step (audited).
/// </summary>
[Access(AccessKind.ManagePractice)]
public sealed class ReportModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Days { get; set; }

    [TempData]
    public string? Message { get; set; }

    public FollowUpReportView Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Days = Days is >= 1 and <= 3660 ? Days : null;
        Report = await new FollowUpReport(db, clock).BuildAsync(Days ?? FollowUpReport.DefaultDays, cancellationToken);
    }

    public async Task<IActionResult> OnPostMoveAsync(string type, double urgency, double sensitivity, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var moved = await AdvisorySettingsStore.MoveTypeAsync(db, type, new CanvasPosition(urgency, sensitivity), caller.Handle, cancellationToken);
        Message = moved.IsSuccess
            ? $"Moved {moved.Value.Title} ({moved.Value.VariantLabel}) to urgency {moved.Value.Urgency:0}, sensitivity {moved.Value.Sensitivity:0}. New alerts of this type are followed up from there."
            : "Nothing changed: " + moved.Error!.Message;
        return RedirectToPage(new { days = Days });
    }
}
