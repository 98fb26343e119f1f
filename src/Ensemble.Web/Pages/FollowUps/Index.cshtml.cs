using Ensemble.Advisory.FollowUp;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>
/// Follow-ups: my digest for today (what waits beyond my daily budget, most urgent first, each to take up now), my
/// open follow-ups, for those who see the whole firm every open follow-up with a link to the optimisation report, and
/// the settings: the budget, the report's windows and each quadrant's playbook, which practice managers edit here.
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

    public bool ShowSettings => View == "settings";

    public PlaybookSettings? Playbooks { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        SeesWholeFirm = caller.SeesWholeFirm;
        Today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        Settings = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
        if (ShowSettings)
        {
            Playbooks = await PlaybookSettings.LoadAsync(db, Settings, SeesWholeFirm, cancellationToken: cancellationToken);
            return;
        }

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

    /// <summary>Saves the quadrant playbooks as posted (audited); a refused edit shows the form again as typed, each problem by its field.</summary>
    public async Task<IActionResult> OnPostPlaybooksAsync(List<PlaybookRow>? rows, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        if (!caller.SeesWholeFirm)
        {
            return await RefusedAsync();
        }

        var current = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
        var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, PlaybookRow.Changes(rows), cancellationToken);
        if (problems.Count == 0)
        {
            var saved = await FollowUpSettingsStore.SaveAsync(db, wanted, caller.Handle, cancellationToken);
            if (saved.IsSuccess)
            {
                Message = "Playbooks saved. New alerts are followed up by them from the next run.";
                return RedirectToPage(new { view = "settings" });
            }

            problems = [("playbooks", saved.Error!.Message)];
        }

        View = "settings";
        SeesWholeFirm = true;
        Settings = current;
        Today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        Playbooks = await PlaybookSettings.LoadAsync(db, current, canEdit: true, rows, problems, cancellationToken);
        return Page();
    }

    /// <summary>Puts every quadrant back on the playbook Ensemble ships with (audited).</summary>
    public async Task<IActionResult> OnPostRestorePlaybooksAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        if (!caller.SeesWholeFirm)
        {
            return await RefusedAsync();
        }

        var current = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
        var saved = await FollowUpSettingsStore.SaveAsync(db, current with { Playbooks = Playbook.Defaults }, caller.Handle, cancellationToken);
        Message = saved.IsSuccess ? "Every quadrant is back on its default playbook." : "Nothing changed: " + saved.Error!.Message;
        return RedirectToPage(new { view = "settings" });
    }

    // The page is open to all staff, its playbook handlers to practice managers only: a plain 403 with the reason, as the access middleware answers.
    private async Task<IActionResult> RefusedAsync()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ErrorPage.WriteAsync(HttpContext, StatusCodes.Status403Forbidden, "Only roles that see the whole firm (principal, compliance) change the follow-up playbooks.");
        return new EmptyResult();
    }

    public string PageLink(int offset) =>
        Url.Page("/FollowUps/Index", new { view = "all", status = Status, offset = offset == 0 ? (int?)null : offset }) ?? "/follow-ups";
}
