using Ensemble.Storage;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Ensemble.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Ensemble.Web.Pages.Archive;

/// <summary>
/// One archived message as it was sent: recipient and address, channel, status and times, its Message-ID, the
/// campaign and its approval, how long it is kept, and the text. The HTML part is shown as its source, never
/// rendered into the page: it is a record, and the page's CSP stays strict.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class MessageModel(EnsembleDb db, IClock clock, CurrentCaller callers) : PageModel
{
    public ArchivedMessage Message { get; private set; } = null!;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public Instant Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var scope = await ArchiveApi.ScopeAsync(await callers.RequireAsync(cancellationToken), db, cancellationToken);
        var message = await new OutboxArchive(db).FindAsync(id, scope, cancellationToken);
        if (message is null)
        {
            return NotFound();
        }

        Message = message;
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        Now = clock.GetCurrentInstant();
        return Page();
    }

    public string When(Instant? at) => at?.InZone(Zone).ToString("ddd d MMM uuuu HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
}
