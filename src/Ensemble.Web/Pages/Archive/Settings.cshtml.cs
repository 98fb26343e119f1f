using Ensemble.Communications.Archive;
using Ensemble.Storage;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ensemble.Web.Pages.Archive;

/// <summary>The communication settings: retention, the fiscal year end that sets the Form ADV deadline, and the app's address for links in staff emails.</summary>
[Access(AccessKind.ManagePractice)]
public sealed class SettingsModel(EnsembleDb db, CurrentCaller callers) : PageModel
{
    public CommunicationSettings Settings { get; private set; } = CommunicationSettings.Default;

    public IReadOnlyList<SettingProblem> Problems { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Settings = await CommunicationSettingsStore.GetAsync(db, cancellationToken);

    public async Task<IActionResult> OnPostAsync(int retentionYears, string? fiscalYearEnd, string? appAddress, CancellationToken cancellationToken)
    {
        var current = await CommunicationSettingsStore.GetAsync(db, cancellationToken);
        var end = CommunicationSettings.ParseFiscalYearEnd(fiscalYearEnd);
        var wanted = new CommunicationSettings(retentionYears, end ?? current.FiscalYearEnd, string.IsNullOrWhiteSpace(appAddress) ? null : appAddress.Trim());
        var problems = wanted.Problems().ToList();
        if (end is null)
        {
            problems.Add(new SettingProblem("fiscalYearEnd", $"\"{fiscalYearEnd}\" is not a month and day such as 12-31 or 03-31."));
        }

        if (problems.Count > 0)
        {
            Settings = wanted;
            Problems = problems;
            return Page();
        }

        var caller = await callers.RequireAsync(cancellationToken);
        db.Actor = caller.Handle;
        db.Operation = "set-communication-settings";
        await CommunicationSettingsStore.SaveAsync(db, wanted, cancellationToken);
        Message = "Saved.";
        return RedirectToPage();
    }
}
