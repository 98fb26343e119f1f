using Ensemble.Common;
using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// What the recipient's mail system reported after accepting a message: a bounce (by the provider's webhook, or read
/// from a delivery status notification by the operations team) or a confirmed delivery. Found by Message-ID, the one
/// identifier such reports carry back.
/// </summary>
public sealed class DeliveryReports(EnsembleDb db, IClock clock)
{
    /// <summary>Records a bounce: the message is marked bounced and the household's client service associate gets a task.</summary>
    public async Task<Result<OutboxMessage>> BouncedAsync(string messageId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason: say why the message bounced (the mail system's reason).");
        }

        var found = await FindAsync(messageId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found;
        }

        var message = found.Value;
        if (message.Status is not (DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Bounced))
        {
            return Error.Conflict($"Message {messageId} is {message.Status.Name()}; only a sent message can bounce.");
        }

        if (message.Status == DeliveryStatus.Bounced)
        {
            return message; // the same report again (a webhook retried): nothing more to do
        }

        db.Actor = actor;
        db.Operation = "record-bounce";
        message.Bounce(reason.Trim(), clock.GetCurrentInstant());
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await DeliveryProblems.RaiseAsync(db, clock, [message], cancellationToken);
        return message;
    }

    /// <summary>Records a confirmed delivery.</summary>
    public async Task<Result<OutboxMessage>> DeliveredAsync(string messageId, string actor, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(messageId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found;
        }

        var message = found.Value;
        if (message.Status is not (DeliveryStatus.Sent or DeliveryStatus.Delivered))
        {
            return Error.Conflict($"Message {messageId} is {message.Status.Name()}; only a sent message can be confirmed delivered.");
        }

        db.Actor = actor;
        db.Operation = "record-delivery";
        message.MarkDelivered(clock.GetCurrentInstant());
        await db.SaveChangesAsync(cancellationToken);
        return message;
    }

    private async Task<Result<OutboxMessage>> FindAsync(string messageId, CancellationToken cancellationToken)
    {
        var id = (messageId ?? "").Trim().Trim('<', '>');
        if (id.Length == 0)
        {
            return Error.Invalid("messageId: give the Message-ID the report refers to.");
        }

        var message = await db.Outbox.SingleOrDefaultAsync(m => m.MessageId == id, cancellationToken);
        return message is null ? Error.NotFound($"No message with Message-ID <{id}> was sent from this firm.") : message;
    }
}
