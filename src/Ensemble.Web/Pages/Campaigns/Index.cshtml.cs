using Ensemble.Communications.Campaigns;
using Ensemble.Storage;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Campaigns;

/// <summary>The firm's campaigns, most recently changed first, filtered by status; what waits for approval stands out.</summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyList<CampaignLine> Campaigns { get; private set; } = [];

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        var status = CampaignStatuses.Parse(Status);
        if (!string.IsNullOrWhiteSpace(Status) && status is null)
        {
            Error = $"\"{Status}\" is not a status; showing every campaign.";
        }

        Campaigns = await new CampaignBook(db, clock).ListAsync(status, 500, 0, cancellationToken);
    }
}
