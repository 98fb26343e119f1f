using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Storage;
using Ensemble.Storage.Advisory;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ensemble.Web.Pages.Canvas;

/// <summary>
/// The alert canvas: every alert type of the firm's framework placed by urgency and advice sensitivity, with
/// the number of open alerts of each type. People who manage the practice move a type by dragging it (or with
/// the arrow keys, or the form under the canvas); the quadrant it lands in decides how its alerts are followed up.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, CurrentCaller callers, NodaTime.IClock clock) : PageModel
{
    public IReadOnlyList<AlertType> Types { get; private set; } = [];

    public IReadOnlyDictionary<string, int> OpenCounts { get; private set; } = new Dictionary<string, int>();

    public bool CanMove { get; private set; }

    /// <summary>Per rule, the approved standing message its client follow-ups send; a rule without one is followed up by call or meeting only.</summary>
    public IReadOnlyDictionary<string, long> Messages { get; private set; } = new Dictionary<string, long>();

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Moves a type. Answers JSON to the canvas script, or redirects back for the plain form.</summary>
    public async Task<IActionResult> OnPostMoveAsync(string? type, double? urgency, double? sensitivity, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var fetch = Request.Headers.XRequestedWith == "fetch";
        if (!caller.SeesWholeFirm)
        {
            return fetch
                ? Refusal("Only people who manage the practice move alert types.", StatusCodes.Status403Forbidden)
                : Forbid();
        }

        if (string.IsNullOrWhiteSpace(type) || urgency is null || sensitivity is null || !CanvasPlace.IsValid(urgency.Value, sensitivity.Value))
        {
            const string invalid = "Give the type and a place: urgency and sensitivity, each from 0 to 100.";
            return fetch ? Refusal(invalid, StatusCodes.Status400BadRequest) : await ShowAsync(invalid, cancellationToken);
        }

        var moved = await AdvisorySettingsStore.MoveTypeAsync(db, type, new CanvasPosition(Math.Round(urgency.Value), Math.Round(sensitivity.Value)), caller.Handle, cancellationToken);
        if (!moved.IsSuccess)
        {
            return fetch ? Refusal(moved.Error!.Message, StatusCodes.Status400BadRequest) : await ShowAsync(moved.Error!.Message, cancellationToken);
        }

        var t = moved.Value;
        var quadrant = new CanvasPlace(t.Urgency, t.Sensitivity).Quadrant;
        var message = $"{t.Title} ({t.VariantLabel}) moved to urgency {t.Urgency:0}, sensitivity {t.Sensitivity:0}: {QuadrantName(quadrant)}.";
        if (fetch)
        {
            return new JsonResult(new { urgency = t.Urgency, sensitivity = t.Sensitivity, quadrant = quadrant.ToString(), label = Label(t, null), message });
        }

        TempData["canvas-message"] = message;
        return RedirectToPage();
    }

    public static string QuadrantName(Quadrant quadrant) => quadrant switch
    {
        Quadrant.UrgentAdvice => "urgent, advice-sensitive — a call from the advisor and a meeting",
        Quadrant.UrgentService => "urgent, little advice — pushed to the client, the back office follows through",
        Quadrant.PlannedAdvice => "not urgent, advice-sensitive — on the next meeting's agenda",
        _ => "not urgent, little advice — a nudge and self-service",
    };

    public static string Label(AlertType type, int? open) =>
        $"{type.Title}, {type.VariantLabel}: urgency {type.Urgency:0}, sensitivity {type.Sensitivity:0}{(open is { } n ? $", {n} open" : "")}";

    private static ObjectResult Refusal(string detail, int status) =>
        new(new ProblemDetails { Detail = detail, Status = status }) { StatusCode = status };

    private async Task<IActionResult> ShowAsync(string error, CancellationToken cancellationToken)
    {
        Error = error;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        CanMove = caller.SeesWholeFirm;
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        Types = firm.Types;
        // Counts are firm-wide for everyone: a number per alert type names no household.
        OpenCounts = await new AlertViews(db, clock).OpenCountsByTypeAsync(cancellationToken);
        Messages = await Ensemble.Storage.Advisory.FollowUps.FollowUpMessages.InForceByRuleAsync(db, clock, cancellationToken);
        Message ??= TempData["canvas-message"] as string;
    }
}
