using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>
/// Sends an approved campaign: renders it for every deliverable recipient and queues one message per household in the
/// outbox, all in one transaction — every message or none. Do-not-contact households, invalid addresses and recipients
/// missing a merge field are left out and counted. Keys are unique per campaign and household, so sending again queues
/// only households that have no message yet (a corrected address, a new member of the audience) and never a second copy.
/// </summary>
/// <remarks>
/// The campaign row is updated first, so on PostgreSQL a second sender waits on its lock and then finds the version
/// moved (a conflict), and on SQLite the write gate queues it. Recipients are planned, rendered and queued a chunk at a
/// time (<see cref="CampaignOutbox"/> writes each chunk's rows and audit events), so memory stays flat for a book of any size.
/// </remarks>
public sealed class CampaignSender(EnsembleDb db, IClock clock)
{
    private const string Operation = "send-campaign";

    /// <summary>Households planned, rendered and saved together; smaller in tests, to cross chunk boundaries.</summary>
    internal int ChunkSize { get; init; } = CampaignRecipients.ChunkSize;

    public async Task<Result<CampaignSendReport>> SendAsync(CampaignId id, string actor, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = Operation;
        try
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await SendInTransactionAsync(id, actor, expectedVersion, cancellationToken);
            if (!result.IsSuccess)
            {
                await transaction.RollbackAsync(cancellationToken);
                return result;
            }

            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict($"Campaign {id} is being sent or changed by someone else at this moment; look at it again in a minute.");
        }
        finally
        {
            db.Operation = null;
            db.ChangeTracker.Clear();
        }
    }

    private async Task<Result<CampaignSendReport>> SendInTransactionAsync(CampaignId id, string actor, int? expectedVersion, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.Include(c => c.Reviews).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return CampaignBook.NotFound(id);
        }

        if (expectedVersion is { } expected && campaign.Version != expected)
        {
            return Error.Conflict($"Campaign {id} changed since you read it (version {expected}, now {campaign.Version}); read it again and retry.");
        }

        var now = clock.GetCurrentInstant();
        var marked = campaign.MarkSending(actor, now);
        if (!marked.IsSuccess)
        {
            return marked.Error!;
        }

        var recipients = new CampaignRecipients(db, clock);
        var run = await recipients.StartAsync(campaign, cancellationToken);
        if (run.Message is null)
        {
            return Error.Conflict($"Campaign {id}'s templates do not check ({string.Join(" ", run.Problems)}); it cannot be sent.");
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        var resend = await db.Outbox.AsNoTracking().AnyAsync(m => m.CampaignId == id.Value, cancellationToken);

        // In id order, so each chunk's members and advisors are one range of their indexes.
        var audience = (await AudienceHouseholds.MatchingAsync(db, campaign.Audience, run.Today, cancellationToken)).OrderBy(h => h.Id.Value).ToList();
        int queued = 0, already = 0, doNotContact = 0, invalid = 0, missing = 0, email = 0, letter = 0, portal = 0;
        var kind = campaign.Kind.Key();

        // A general mailing carries the alert follow-ups waiting for "the next newsletter" to the households it reaches.
        var followUps = campaign.Kind is CampaignKind.General or CampaignKind.Commentary or CampaignKind.Announcement
            ? await Advisory.FollowUps.FollowUpMessages.LoadAsync(db, clock, cancellationToken)
            : null;
        foreach (var chunk in audience.Chunk(ChunkSize))
        {
            var envelopes = new List<OutboxEnvelope>(chunk.Length);
            foreach (var r in await run.PlanAsync(chunk, cancellationToken))
            {
                doNotContact += r.Plan.IsDoNotContact ? 1 : 0;
                invalid += r.Issues.Any(i => i.Kind == RecipientIssueKind.InvalidAddress) ? 1 : 0;
                missing += !r.Plan.IsDoNotContact && r.Issues.Any(i => i.Kind is RecipientIssueKind.MissingMergeField or RecipientIssueKind.SubjectTooLong) ? 1 : 0;
                if (!r.Deliverable)
                {
                    continue;
                }

                envelopes.Add(new OutboxEnvelope(
                    Key(id, r.Household.Id), kind, r.Plan.Channel!.Value, r.Plan.RecipientName, r.Plan.Address!, r.Message!.Subject, r.Message.TextBody, r.Message.HtmlBody,
                    HouseholdId: r.Household.Id, CampaignId: id.Value));
            }

            var added = await CampaignOutbox.AddAsync(db, envelopes, now, checkExisting: resend, cancellationToken);
            if (followUps is not null)
            {
                await followUps.QueueWithMailingAsync(added.ToDictionary(m => m.HouseholdId!.Value, m => m.Channel), run.Today, cancellationToken);
            }

            queued += added.Count;
            already += envelopes.Count - added.Count;
            email += added.Count(m => m.Channel == DeliveryChannel.Email);
            letter += added.Count(m => m.Channel == DeliveryChannel.Letter);
            portal += added.Count(m => m.Channel == DeliveryChannel.Portal);
        }

        var report = new CampaignSendReport(now, actor, audience.Count, queued, already, doNotContact, invalid, missing, email, letter, portal);
        var stored = await db.Campaigns.SingleAsync(c => c.Id == id, cancellationToken);
        stored.RecordSend(report);
        await db.SaveChangesAsync(cancellationToken);
        return report;
    }

    /// <summary>The outbox key of a campaign's message to a household: the same send twice is the same key.</summary>
    public static string Key(CampaignId campaign, HouseholdId household) => $"campaign:{campaign}:household:{household}";
}
