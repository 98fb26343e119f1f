using System.Globalization;
using Ensemble.Advisory.FollowUp;
using Ensemble.Communications;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

public sealed partial class FollowUpRunner
{
    /// <summary>
    /// Follow-ups whose client message the outbox has finished with: sent or delivered makes the follow-up done; failed
    /// or bounced turns it into a call by the quadrant's caller, since the client has not heard from the firm.
    /// </summary>
    private async Task<(int Sent, int ToCalls)> SettleMessagesAsync(IReadOnlyList<Playbook> playbooks, DateTimeZone zone, string actor, CancellationToken cancellationToken)
    {
        int sent = 0, toCalls = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var batch = await (from f in db.FollowUps()
                               join m in db.Outbox on f.MessageKey equals m.Key
                               where f.Status == FollowUpStatus.QueuedForClient && Settled.Contains(m.Status)
                               orderby f.Id
                               select new { FollowUp = f, m.Status, m.Channel, m.SentAt, m.LastError })
                .Take(Batch).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return (sent, toCalls);
            }

            var now = clock.GetCurrentInstant();
            foreach (var row in batch)
            {
                var channel = row.Channel.Name();
                if (row.Status is DeliveryStatus.Sent or DeliveryStatus.Delivered)
                {
                    var day = (row.SentAt ?? now).InZone(zone).Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
                    sent += row.FollowUp.Done(now, $"The {channel} was {(row.Status == DeliveryStatus.Delivered ? "delivered" : "sent")} on {day}.").IsSuccess ? 1 : 0;
                    continue;
                }

                var what = row.Status == DeliveryStatus.Bounced ? "bounced" : "could not be delivered";
                ToCall(row.FollowUp, playbooks, $"The {channel} {what}{(string.IsNullOrWhiteSpace(row.LastError) ? "" : $" ({row.LastError.Trim().TrimEnd('.')})")}");
                toCalls++;
            }

            db.Actor = actor;
            db.Operation = "follow-up-alert";
            using (await WriteGate.EnterAsync(db, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
    }

    /// <summary>Outbox states that end a client message's part in its follow-up.</summary>
    private static readonly DeliveryStatus[] Settled = [DeliveryStatus.Sent, DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Bounced];
}
