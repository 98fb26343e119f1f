using System.Xml.Linq;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Access;

/// <summary>
/// Keeps data protection keys in the firm's database, shared by every web node. The key ring is first read
/// while the app starts, so each call waits until the database is ready (the interface is synchronous).
/// </summary>
internal sealed class DatabaseKeyRepository(EnsembleSettings settings, Readiness readiness) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        readiness.Prepared.GetAwaiter().GetResult();
        using var db = EnsembleDatabase.CreateContext(settings.Database, settings.Clock);
        return db.ProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        readiness.Prepared.GetAwaiter().GetResult();
        using var db = EnsembleDatabase.CreateContext(settings.Database, settings.Clock);
        db.ProtectionKeys.Add(new ProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
