using Ensemble.Processes.Templates;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Library;

/// <summary>The process library by category.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock) : PageModel
{
    public IReadOnlyList<IGrouping<TemplateCategory, TemplateVersion>> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Categories = (await new TemplateLibrary(db, clock).ListAsync(cancellationToken))
            .OrderBy(t => t.Category).ThenBy(t => t.Name)
            .GroupBy(t => t.Category)
            .ToList();
}
