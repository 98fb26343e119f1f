using System.Xml.Linq;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Access;

/// <summary>
/// Keeps data protection keys in the firm's database, shared by every web node. The key ring is first read
/// while the app starts, so each call waits until the database is ready. The interface is synchronous, but the
/// work is done asynchronously and waited for: a multiplexing PostgreSQL connection runs no synchronous command
/// outside a transaction. Data protection reads the ring rarely and caches it, so the wait costs nothing per request.
/// </summary>
internal sealed class DatabaseKeyRepository(EnsembleSettings settings, Readiness readiness) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(ReadAllAsync).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(() => StoreAsync(element, friendlyName)).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> ReadAllAsync()
    {
        await readiness.Prepared;
        await using var db = EnsembleDatabase.CreateContext(settings.Database, settings.Clock);
        var rows = await db.ProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToListAsync();
        return rows.Select(XElement.Parse).ToList();
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        await readiness.Prepared;
        await using var db = EnsembleDatabase.CreateContext(settings.Database, settings.Clock);
        db.ProtectionKeys.Add(new ProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        await db.SaveChangesAsync();
    }
}
