using Ensemble.Storage;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Work;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Ensemble.Web.Pages.Archive;

/// <summary>What the household page's messages section shows.</summary>
public sealed record HouseholdMessages(string Key, IReadOnlyList<ArchiveLine> Latest, int Total, DateTimeZone Zone);

/// <summary>The household page's "Messages": the latest messages sent to the household, each opening its archived record, with the export.</summary>
public sealed class HouseholdMessagesViewComponent(EnsembleDb db) : ViewComponent
{
    public const int Shown = 10;

    public async Task<IViewComponentResult> InvokeAsync(string key)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var filter = new ArchiveFilter(Household: HouseholdRoute.Id(HttpContext));
        var archive = new OutboxArchive(db);
        var latest = await archive.SearchAsync(filter, ArchiveScope.WholeFirm, Shown, 0, cancellationToken);
        var total = latest.Count < Shown ? latest.Count : await archive.CountAsync(filter, ArchiveScope.WholeFirm, cancellationToken);
        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        return View("~/Pages/Archive/_HouseholdMessages.cshtml", new HouseholdMessages(key, latest, total, zone));
    }
}
