using Ensemble.Communications.FormAdv;
using Ensemble.Storage;
using Ensemble.Storage.Communications.FormAdv;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.FormAdv;

/// <summary>
/// Form ADV delivery for a fiscal year: the deadline, how many clients have had it, and who is still owed it
/// (overdue first), each delivery linked to its archived message; all clients on request; as CSV.
/// </summary>
[Access(AccessKind.ManagePractice)]
public sealed class IndexModel(EnsembleDb db, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    public FormAdvReport? Report { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<FormAdvLine> Lines { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await new FormAdvTracker(db, clock).StatusAsync(Year, !All, cancellationToken);
        if (!result.IsSuccess)
        {
            Error = result.Error!.Message;
            result = await new FormAdvTracker(db, clock).StatusAsync(null, !All, cancellationToken);
        }

        Report = result.Value;
        Lines = Report.Lines
            .OrderBy(l => l.State switch { FormAdvState.Overdue => 0, FormAdvState.Owed => 1, FormAdvState.DeliveredLate => 2, _ => 3 })
            .ThenBy(l => l.HouseholdKey, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The fiscal years to choose from: the one under way, the latest ended, and five before.</summary>
    public IEnumerable<int> Years
    {
        get
        {
            if (Report is null)
            {
                return [];
            }

            var end = Report.Year.FiscalYearEnd;
            var latest = FormAdvYear.Latest(Report.Today, new AnnualDate(end.Month, end.Day));
            return Enumerable.Range(0, 7).Select(i => latest + 1 - i);
        }
    }
}
