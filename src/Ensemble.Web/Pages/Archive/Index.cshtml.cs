using Ensemble.Communications;
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
/// The archive: every message as it was sent, searched by words, household, kind, channel, status and dates, within
/// what the signed-in person may see (all of it for compliance and the principal), newest first, a page at a time.
/// </summary>
[Access(AccessKind.AnyStaff)]
public sealed class IndexModel(EnsembleDb db, CurrentCaller callers) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Household { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Offset { get; set; }

    public IReadOnlyList<ArchiveLine> Messages { get; private set; } = [];

    public int Total { get; private set; }

    public IReadOnlyList<string> Kinds { get; private set; } = [];

    public IReadOnlyList<(string Field, string Message)> Errors { get; private set; } = [];

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public bool WholeFirm { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        WholeFirm = caller.SeesWholeFirm;
        Zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        Offset = Math.Max(0, Offset);
        var archive = new OutboxArchive(db);
        Kinds = await archive.KindsAsync(cancellationToken);
        var (filter, errors) = await ArchiveFilterReader.ReadAsync(db, new ArchiveSearchText(Text, Household, Kind, Channel, Status, From, To), cancellationToken);
        if (filter is null)
        {
            Errors = errors;
            return;
        }

        var scope = await ArchiveApi.ScopeAsync(caller, db, cancellationToken);
        Messages = await archive.SearchAsync(filter, scope, PageSize, Offset, cancellationToken);
        Total = await archive.CountAsync(filter, scope, cancellationToken);
    }

    public string PageLink(int offset) =>
        Url.Page("/Archive/Index", new { text = Text, household = Household, kind = Kind, channel = Channel, status = Status, from = From, to = To, offset = offset == 0 ? (int?)null : offset }) ?? "/archive";

    public static IEnumerable<string> Channels => Enum.GetValues<DeliveryChannel>().Select(c => c.Name());

    public static IEnumerable<string> Statuses => Enum.GetValues<DeliveryStatus>().Select(s => s.Name());
}
