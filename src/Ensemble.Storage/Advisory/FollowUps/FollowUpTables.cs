using Ensemble.Advisory.FollowUp;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>The follow-up tables of the context (configured in <see cref="FollowUpModel"/>).</summary>
public static class FollowUpTables
{
    public static DbSet<AlertFollowUp> FollowUps(this EnsembleDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<AlertFollowUp>();
    }

    public static DbSet<AgendaItem> AgendaItems(this EnsembleDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<AgendaItem>();
    }

    internal static DbSet<FollowUpSettingsRow> FollowUpSettingsRows(this EnsembleDb db) => db.Set<FollowUpSettingsRow>();
}
