using System.Diagnostics;
using Ensemble.Communications;
using Ensemble.Storage.Communications.Archive;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// Sends what is due in the outbox from one process: recovers the journals of senders that died, claims a batch,
/// hands each message to its channel (email to the mail server, letters into the day's print batch, portal messages
/// onto the client's portal), and settles the batch in one transaction. Temporary failures go back to the queue with a
/// doubling wait; permanent ones fail and give the household's client service associate a task.
/// </summary>
/// <remarks>One instance per sending loop: it keeps one SMTP connection and one journal, and is not thread-safe.</remarks>
public sealed class OutboxSender(DeliverySettings settings, IClock clock, string node) : IAsyncDisposable
{
    private readonly Stopwatch pace = Stopwatch.StartNew();
    private SendJournal? journal;
    private SmtpMailer? mailer;
    private TimeSpan nextSlot;

    /// <summary>Claims and sends one batch; returns what happened. An empty pass (nothing due) writes nothing.</summary>
    public async Task<OutboxPass> SendDueAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        journal ??= SendJournal.Open(settings.JournalDirectory, node);
        var (recoveredSent, recoveredQueued) = await RecoverAsync(db, cancellationToken);
        var now = clock.GetCurrentInstant();
        var claimed = await OutboxClaims.ClaimAsync(db, journal.Owner, now, settings.Batch, settings.Lease, settings.SmtpHost is not null, cancellationToken);
        if (claimed.Count == 0)
        {
            return new OutboxPass(0, 0, 0, 0, recoveredSent, recoveredQueued);
        }

        var retention = await CommunicationSettingsStore.RetentionAsync(db, cancellationToken);
        var settlements = new List<Settlement>(claimed.Count);
        var failed = new List<OutboxMessage>();
        try
        {
            foreach (var message in claimed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var settlement = await DeliverAsync(db, message, retention, cancellationToken);
                settlements.Add(settlement);
                if (settlement.Status == DeliveryStatus.Failed)
                {
                    failed.Add(message);
                }
            }
        }
        finally
        {
            // Whatever happened, what went out is recorded now and what did not is given back; the journal covers a kill.
            await OutboxClaims.SettleAsync(db, journal.Owner, settlements, CancellationToken.None);
            journal.Clear();
            var untouched = claimed.Skip(settlements.Count).Select(m => m.Id).ToList();
            await OutboxClaims.ReleaseAsync(db, journal.Owner, untouched, clock.GetCurrentInstant(), CancellationToken.None);
        }

        await DeliveryProblems.RaiseAsync(db, clock, failed, cancellationToken);
        return new OutboxPass(
            settlements.Count(s => s.Status == DeliveryStatus.Sent),
            settlements.Count(s => s.Status == DeliveryStatus.Queued),
            failed.Count,
            claimed.Count,
            recoveredSent,
            recoveredQueued);
    }

    /// <summary>Sends until nothing is due right now (retries waiting for later stay queued).</summary>
    public async Task<OutboxPass> SendAllDueAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var total = OutboxPass.None;
        while (true)
        {
            var pass = await SendDueAsync(db, cancellationToken);
            total += pass;
            if (pass.Claimed == 0)
            {
                return total;
            }

            db.ChangeTracker.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (mailer is not null)
        {
            await mailer.DisposeAsync();
        }

        journal?.Dispose();
    }

    private async Task<Settlement> DeliverAsync(EnsembleDb db, OutboxMessage message, Duration retention, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var keepUntil = Later(message.RetainUntil, now + retention);
        switch (message.Channel)
        {
            case DeliveryChannel.Letter:
                // Printing and posting happen outside Ensemble: the letter joins today's print batch, whose documents
                // operations download (see LetterBatches); joining it is the hand-over.
                var today = now.InZone(await FirmZoneAsync(db, cancellationToken)).Date;
                return new Settlement(message.Id, DeliveryStatus.Sent, now, keepUntil, Batch: LetterBatches.NameFor(today));

            case DeliveryChannel.Portal:
                // The portal reads the household's sent portal messages straight from the archive.
                return new Settlement(message.Id, DeliveryStatus.Sent, now, keepUntil);

            default:
                await PaceAsync(cancellationToken);
                mailer ??= new SmtpMailer(settings, journal!, await SenderAsync(db, cancellationToken));
                var (outcome, error) = await mailer.SendAsync(message, now, cancellationToken);
                return outcome switch
                {
                    MailOutcome.Accepted => new Settlement(message.Id, DeliveryStatus.Sent, clock.GetCurrentInstant(), keepUntil),
                    MailOutcome.AcceptedUnconfirmed => new Settlement(message.Id, DeliveryStatus.Sent, clock.GetCurrentInstant(), keepUntil, error),
                    MailOutcome.TryAgain when message.Attempts < settings.MaxAttempts =>
                        new Settlement(message.Id, DeliveryStatus.Queued, now, keepUntil, error, now + settings.RetryAfter(message.Attempts)),
                    MailOutcome.TryAgain => new Settlement(message.Id, DeliveryStatus.Failed, now, keepUntil, $"Gave up after {message.Attempts} attempts. {error}"),
                    _ => new Settlement(message.Id, DeliveryStatus.Failed, now, keepUntil, error),
                };
        }
    }

    private async Task<(int Sent, int Requeued)> RecoverAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        var sent = 0;
        var requeued = 0;
        foreach (var orphan in SendJournal.FindOrphans(settings.JournalDirectory))
        {
            var (s, r) = await OutboxClaims.RecoverAsync(db, orphan, clock.GetCurrentInstant(), cancellationToken);
            SendJournal.Forget(orphan);
            sent += s;
            requeued += r;
        }

        return (sent, requeued);
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (settings.RatePerSecond <= 0)
        {
            return;
        }

        var now = pace.Elapsed;
        if (nextSlot > now)
        {
            await Task.Delay(nextSlot - now, cancellationToken);
        }

        nextSlot = (nextSlot > now ? nextSlot : now) + TimeSpan.FromSeconds(1 / settings.RatePerSecond);
    }

    private DateTimeZone? zone;

    private async Task<DateTimeZone> FirmZoneAsync(EnsembleDb db, CancellationToken cancellationToken) =>
        zone ??= (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.Firms, cancellationToken))?.Zone ?? DateTimeZone.Utc;

    /// <summary>The configured sender; left at the default, it carries the firm's name so clients see who wrote.</summary>
    private async Task<MimeKit.MailboxAddress> SenderAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        var from = MimeKit.MailboxAddress.Parse(settings.FromAddress);
        if (settings.FromAddress == DeliverySettings.DefaultFrom
            && await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.Firms, cancellationToken) is { } firm)
        {
            from.Name = firm.Name;
        }

        return from;
    }

    private static Instant Later(Instant a, Instant b) => a > b ? a : b;
}

/// <summary>What one or more sending passes did.</summary>
public sealed record OutboxPass(int Sent, int Retrying, int Failed, int Claimed, int RecoveredSent, int RecoveredRequeued)
{
    public static readonly OutboxPass None = new(0, 0, 0, 0, 0, 0);

    public static OutboxPass operator +(OutboxPass a, OutboxPass b) => new(
        a.Sent + b.Sent, a.Retrying + b.Retrying, a.Failed + b.Failed, a.Claimed + b.Claimed, a.RecoveredSent + b.RecoveredSent, a.RecoveredRequeued + b.RecoveredRequeued);

    public override string ToString() =>
        $"{Sent:#,0} sent, {Retrying:#,0} to retry, {Failed:#,0} failed"
        + (RecoveredSent + RecoveredRequeued > 0 ? $"; recovered from stopped senders: {RecoveredSent:#,0} already sent, {RecoveredRequeued:#,0} back in the queue" : "");
}
