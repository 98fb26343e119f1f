using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>What a purge found and did.</summary>
/// <param name="Expired">Messages past their retention (and past the firm's current period) that are final.</param>
/// <param name="Purged">Of those, deleted (0 on a dry run).</param>
/// <param name="Refused">Of those, the database refused to delete: its own clock says they are still retained.</param>
public sealed record PurgeReport(int Expired, int Purged, int Refused, bool DryRun)
{
    public string Summary => DryRun
        ? $"{Expired:#,0} message(s) are past their retention and would be purged."
        : $"Purged {Purged:#,0} message(s) past their retention" + (Refused > 0 ? $"; the database refused {Refused:#,0} it still holds as retained." : ".");
}

/// <summary>
/// Deletes archived messages whose retention has run out — and only those. A message is kept until the later of its
/// own retain-until and its sending plus the firm's current period (a firm that lengthens its period keeps older
/// messages longer), and never while it may still be sent. Each deletion is one audit event naming the message
/// (its Message-ID, kind, recipient and dates, not its text, which is what the purge removes). The retention
/// trigger on outbox_messages refuses any delete the database's own clock says is early, so a wrong application
/// clock cannot purge early either.
/// </summary>
public sealed class ArchivePurge(EnsembleDb db, IClock clock)
{
    private const int Batch = 500;

    public async Task<PurgeReport> RunAsync(string actor, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        var cutoff = now - await CommunicationSettingsStore.RetentionAsync(db, cancellationToken);
        var expired = db.Outbox.AsNoTracking()
            .Where(m => m.RetainUntil < now
                && m.Status != DeliveryStatus.Queued && m.Status != DeliveryStatus.Sending
                && (m.SentAt < cutoff || (m.SentAt == null && m.QueuedAt < cutoff)));
        if (dryRun)
        {
            return new PurgeReport(await expired.CountAsync(cancellationToken), 0, 0, true);
        }

        db.Actor = actor;
        db.Operation = "purge-archive";
        int found = 0, purged = 0, refused = 0;
        long after = 0;
        while (true)
        {
            var batch = await expired.Where(m => m.Id > after).OrderBy(m => m.Id).Take(Batch)
                .Select(m => new Purged(m.Id, m.HouseholdId, m.Key, m.MessageId, m.Kind, m.Channel, m.Status, m.RecipientName, m.QueuedAt, m.SentAt, m.RetainUntil))
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return new PurgeReport(found, purged, refused, false);
            }

            found += batch.Count;
            after = batch[^1].Id;
            if (await DeleteAsync(batch, now, cancellationToken) is { } deleted)
            {
                purged += deleted;
            }
            else
            {
                refused += batch.Count;
            }
        }
    }

    /// <summary>Deletes one batch with its audit events in one transaction; null when the database refused it.</summary>
    private async Task<int?> DeleteAsync(List<Purged> batch, Instant now, CancellationToken cancellationToken)
    {
        var ids = batch.Select(p => p.Id).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var deleted = await db.Outbox.Where(m => ids.Contains(m.Id) && m.RetainUntil < now).ExecuteDeleteAsync(cancellationToken);
            await AuditWriter.AppendAsync(db, batch.Select(Event).ToList(), now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return deleted;
        }
        catch (DbException)
        {
            // The retention trigger: the database's clock disagrees with ours. Nothing of the batch is gone.
            await transaction.RollbackAsync(CancellationToken.None);
            return null;
        }
    }

    private static PendingAuditEvent Event(Purged p) => new(
        p.HouseholdId?.Value,
        nameof(OutboxMessage),
        p.Id.ToString(CultureInfo.InvariantCulture),
        "purged",
        JsonSerializer.Serialize(new
        {
            p.Key,
            p.MessageId,
            p.Kind,
            Channel = p.Channel.Name(),
            Status = p.Status.Name(),
            Recipient = p.RecipientName,
            QueuedAt = p.QueuedAt.ToString(),
            SentAt = p.SentAt?.ToString(),
            RetainUntil = p.RetainUntil.ToString(),
        }),
        null);

    private sealed record Purged(
        long Id, Ensemble.Common.HouseholdId? HouseholdId, string Key, string MessageId, string Kind, DeliveryChannel Channel, DeliveryStatus Status,
        string RecipientName, Instant QueuedAt, Instant? SentAt, Instant RetainUntil);
}
