using Ensemble.Advisory.FollowUp;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>
/// Follow-ups: my digest for today (what waits beyond my daily budget, most urgent first, each to take up now), my
/// open follow-ups, and for those who see the whole firm every open follow-up with a link to the optimisation report.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<FollowUpView> Digest { get; private set; } = [];

    public IReadOnlyList<FollowUpView> Mine { get; private set; } = [];

    public IReadOnlyList<FollowUpView> All { get; private set; } = [];

    public int AllTotal { get; private set; }

    public bool SeesWholeFirm { get; private set; }

    public FollowUpSettings Settings { get; private set; } = FollowUpSettings.Default;

    public LocalDate Today { get; private set; }

    public bool ShowAll => SeesWholeFirm && View == "all";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        SeesWholeFirm = caller.SeesWholeFirm;
        Today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        Settings = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
        Offset = Math.Max(0, Offset);
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var views = new FollowUpViews(db);
        Digest = await views.DigestAsync(framework, caller.StaffId, cancellationToken);
        Mine = (await views.ListAsync(framework, new FollowUpFilter(Person: caller.StaffId), PageSize, 0, null, cancellationToken))
            .Where(f => f.Status != FollowUpStatus.InDigest).ToList();
        if (ShowAll)
        {
            var status = FollowUpFilter.ParseStatus(Status) ?? (null, false);
            var filter = new FollowUpFilter(Status: status.Status, All: status.All);
            All = await views.ListAsync(framework, filter, PageSize, Offset, null, cancellationToken);
            AllTotal = await views.CountAsync(filter, null, cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostTakeUpAsync(long id, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var household = await new FollowUpViews(db).HouseholdOfAsync(id, cancellationToken);
        if (household is null)
        {
            return NotFound();
        }

        if (!await new HouseholdAccess(db).CanSeeAsync(caller, household.Value, cancellationToken))
        {
            return Forbid();
        }

        var taken = await new FollowUpBook(db, clock).TakeUpAsync(id, caller.Handle, cancellationToken);
        Message = taken.IsSuccess ? $"Taken up: {taken.Value.Title} for {taken.Value.HouseholdName}. {taken.Value.Outcome}" : "Nothing changed: " + taken.Error!.Message;
        return RedirectToPage(new { view = View });
    }

    public string PageLink(int offset) =>
        Url.Page("/FollowUps/Index", new { view = "all", status = Status, offset = offset == 0 ? (int?)null : offset }) ?? "/follow-ups";
}
