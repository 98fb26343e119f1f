using Ensemble.Communications;
using Ensemble.Storage;
using Ensemble.Storage.Communications.Delivery;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ensemble.Web.Pages.Outbox;

/// <summary>
/// The outbox for operations: how much is waiting, going and gone; the messages that failed or bounced and why (each
/// has given a client service associate a task); and the letter print batches to download for the mail room.
/// </summary>
[Access(AccessKind.ManagePractice)]
public sealed class IndexModel(EnsembleDb db, DeliverySettings delivery) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyDictionary<DeliveryStatus, int> Counts { get; private set; } = new Dictionary<DeliveryStatus, int>();

    public IReadOnlyList<OutboxLine> Lines { get; private set; } = [];

    public IReadOnlyList<(string Batch, int Letters)> Batches { get; private set; } = [];

    public DeliveryStatus? Showing { get; private set; }

    public bool EmailConfigured => delivery.SmtpHost is not null;

    public string MailServer => $"{delivery.SmtpHost}:{delivery.SmtpPort}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Showing = Status is null
            ? DeliveryStatus.Failed
            : DeliveryStatuses.Parse(Status);
        if (Status is not null && Showing is null)
        {
            return BadRequest();
        }

        var views = new OutboxViews(db);
        Counts = await views.CountsAsync(null, cancellationToken);
        Lines = await views.ListAsync(Showing, 200, cancellationToken);
        Batches = (await LetterBatches.ListAsync(db, cancellationToken)).Take(30).ToList();
        return Page();
    }
}
