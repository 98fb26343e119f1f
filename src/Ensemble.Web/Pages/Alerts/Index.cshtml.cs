using Ensemble.Advisory.Alerts;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Alerts;

/// <summary>
/// Open alerts in the households I may see, ranked by the canvas (most urgent, then most advice-sensitive, then
/// longest waiting), filtered by rule, category and status; each explains itself and can be acted on in place.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Rule { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];

    public int Total { get; private set; }

    public FirmFramework Framework { get; private set; } = null!;

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public LocalDate Today { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        Zone = firm.Zone;
        Today = firm.Today(clock);
        Framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        Offset = Math.Max(0, Offset);
        var (filter, problem) = await AlertsApi.FilterAsync(Framework, Rule, Category, null, null, Status, db, clock, cancellationToken);
        if (problem is not null || filter is null)
        {
            Errors = ["The filter is not valid: choose a rule, category and status from the lists."];
            return;
        }

        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var views = new AlertViews(db, clock);
        Alerts = await views.ListAsync(Framework, filter, PageSize, Offset, visible, cancellationToken);
        Total = await views.CountAsync(Framework, filter, visible, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(long id, int? version, string? act, string? note, string? until, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var household = await new AlertViews(db, clock).HouseholdOfAsync(new AlertId(id), cancellationToken);
        if (household is null)
        {
            return NotFound();
        }

        if (!await new HouseholdAccess(db).CanSeeAsync(caller, household.Value, cancellationToken))
        {
            return Forbid();
        }

        var result = await AlertActions.ActAsync(db, clock, caller.Handle, id, version, act, note, until, cancellationToken);
        Message = result.IsSuccess ? AlertActions.Done(result.Value) : "Nothing changed: " + AlertActions.Message(result.Error!);
        return RedirectToPage(new { rule = Rule, category = Category, status = Status, offset = Offset == 0 ? (int?)null : Offset });
    }

    public string PageLink(int offset) =>
        Url.Page("/Alerts/Index", new { rule = Rule, category = Category, status = Status, offset = offset == 0 ? (int?)null : offset }) ?? "/alerts";
}
