using Ensemble.Households;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Households;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Households;

/// <summary>The households I may see, searchable by name or key.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public LifecycleStage? Stage { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<HouseholdLine> Lines { get; private set; } = [];

    public bool More { get; private set; }

    public bool WholeFirm { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        var caller = await callers.RequireAsync(cancellationToken);
        WholeFirm = caller.SeesWholeFirm;
        var visible = await new HouseholdAccess(db).VisibleHouseholdIdsAsync(caller, cancellationToken);
        var lines = await new HouseholdDirectory(db, clock).ListAsync(Search, Stage, PageSize + 1, (PageNumber - 1) * PageSize, visible, cancellationToken);
        More = lines.Count > PageSize;
        Lines = lines.Take(PageSize).ToList();
    }
}
