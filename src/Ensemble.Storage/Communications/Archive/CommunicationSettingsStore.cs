using Ensemble.Common;
using Ensemble.Communications.Archive;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>
/// Reads and saves the firm's <see cref="CommunicationSettings"/>. A firm that never set them runs on the defaults
/// (six years' retention, a December 31 fiscal year end). Whoever queues or sends a message reads the retention here,
/// so every outbox row is kept for the firm's period: <c>OutboxQueue.AddAsync(db, envelopes, now, await CommunicationSettingsStore.RetentionAsync(db))</c>.
/// </summary>
public static class CommunicationSettingsStore
{
    public static async Task<CommunicationSettings> GetAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var row = await db.CommunicationSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? CommunicationSettings.Default
            : new CommunicationSettings(row.RetentionYears, new AnnualDate(row.FiscalYearEndMonth, row.FiscalYearEndDay), row.AppAddress);
    }

    /// <summary>How long a message is kept from sending, as the outbox stores it.</summary>
    public static async Task<Duration> RetentionAsync(EnsembleDb db, CancellationToken cancellationToken = default) =>
        (await GetAsync(db, cancellationToken)).Retention;

    /// <summary>Checks and saves the settings as one audited change under the caller's actor and operation; a repeat writes nothing.</summary>
    public static async Task<Result<CommunicationSettings>> SaveAsync(EnsembleDb db, CommunicationSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.Problems() is { Count: > 0 } problems)
        {
            return Error.Invalid(string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}")));
        }

        var row = await db.CommunicationSettings.FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            row = new CommunicationSettingsRow();
            db.CommunicationSettings.Add(row);
        }

        var changed = row.RetentionYears != settings.RetentionYears || row.FiscalYearEndMonth != settings.FiscalYearEnd.Month
            || row.FiscalYearEndDay != settings.FiscalYearEnd.Day || row.AppAddress != settings.AppAddress;
        if (changed)
        {
            row.RetentionYears = settings.RetentionYears;
            row.FiscalYearEndMonth = settings.FiscalYearEnd.Month;
            row.FiscalYearEndDay = settings.FiscalYearEnd.Day;
            row.AppAddress = settings.AppAddress;
            row.Version++;
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return settings;
    }
}
