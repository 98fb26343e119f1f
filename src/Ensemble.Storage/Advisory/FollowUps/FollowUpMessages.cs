using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage.Communications;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>
/// The messages a follow-up sends to clients. Nothing reaches a client that compliance has not approved, so each
/// advisory rule's alerts are answered by a standing message (a campaign of kind alert-follow-up) approved in advance:
/// while one is in force, a follow-up by email, letter or portal renders it for the household and queues it in the
/// outbox under a key per alert, so deciding again never sends twice. A newsletter follow-up waits and goes out with
/// the next mailing the household receives. Without an approved message those channels are passed over.
/// </summary>
public sealed class FollowUpMessages
{
    private readonly EnsembleDb _db;
    private readonly IClock _clock;
    private readonly Dictionary<string, Campaign> _byRule;

    private FollowUpMessages(EnsembleDb db, IClock clock, Dictionary<string, Campaign> byRule)
    {
        _db = db;
        _clock = clock;
        _byRule = byRule;
    }

    /// <summary>A follow-up the message could not be queued for, and why: the caller turns it into a call.</summary>
    internal sealed record Undeliverable(AlertFollowUp FollowUp, string Why);

    /// <summary>Per advisory rule, the id of its standing message in force; rules without one are absent.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> InForceByRuleAsync(EnsembleDb db, IClock clock, CancellationToken cancellationToken = default) =>
        (await LoadAsync(db, clock, cancellationToken))._byRule.ToDictionary(p => p.Key, p => p.Value.Id.Value, StringComparer.Ordinal);

    /// <summary>The standing messages in force: per rule, the one approved last whose content is still what was approved.</summary>
    internal static async Task<FollowUpMessages> LoadAsync(EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var approved = await db.Campaigns.AsNoTracking().Include(c => c.Reviews)
            .Where(c => c.Kind == CampaignKind.AlertFollowUp && c.Status == CampaignStatus.Approved && c.AlertRule != null)
            .ToListAsync(cancellationToken);
        var byRule = approved.Where(c => c.IsInForce)
            .GroupBy(c => c.AlertRule!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => (c.Approval!.At, c.Id.Value))!, StringComparer.Ordinal);
        return new FollowUpMessages(db, clock, byRule);
    }

    /// <summary>The outbox key of the message for an alert: one per alert, whatever happens to its follow-up.</summary>
    public static string Key(AlertId alert) => $"alert:{alert}:message";

    public bool HasMessage(string ruleKey) => _byRule.ContainsKey(ruleKey);

    /// <summary>
    /// Why a channel cannot carry this rule's alerts now, or null when it can. An advice meeting's invitation is the
    /// team's to write, so only self-service messages need the approved one.
    /// </summary>
    public string? Unavailable(string ruleKey, FollowUpChannel channel, FollowUpAction action) => action == FollowUpAction.AdvisorMeeting ? null : channel switch
    {
        FollowUpChannel.Sms => "Ensemble has no text-message gateway set up",
        FollowUpChannel.Email or FollowUpChannel.Letter or FollowUpChannel.PortalNudge or FollowUpChannel.Newsletter when !HasMessage(ruleKey) =>
            "compliance has not approved a message for this alert yet",
        _ => null,
    };

    /// <summary>
    /// Renders each follow-up's message for its household and queues it by the follow-up's channel, marking the
    /// follow-up queued; newsletter follow-ups are marked waiting for the next mailing. The caller saves. Returned are
    /// those that could not be sent that way (no address for the channel, an invalid one, a merge field without a value).
    /// </summary>
    internal async Task<List<Undeliverable>> QueueAsync(IReadOnlyList<(AlertFollowUp FollowUp, string RuleKey)> items, CancellationToken cancellationToken)
    {
        var failed = new List<Undeliverable>();
        var direct = new List<(AlertFollowUp FollowUp, Campaign Message)>();
        foreach (var (followUp, rule) in items)
        {
            if (!_byRule.TryGetValue(rule, out var message))
            {
                failed.Add(new(followUp, "compliance has not approved a message for this alert"));
            }
            else if (followUp.Channel == FollowUpChannel.Newsletter)
            {
                followUp.QueuedForClient();
            }
            else
            {
                direct.Add((followUp, message));
            }
        }

        if (direct.Count == 0)
        {
            return failed;
        }

        var today = _clock.GetCurrentInstant().InZone((await Work.WorkContextLoader.FirmAsync(_db, cancellationToken)).Zone).Date;
        await QueueOnAsync(direct.Select(d => (d.FollowUp, d.Message, Delivery(d.FollowUp.Channel))).ToList(), today, failed, cancellationToken);
        return failed;
    }

    /// <summary>
    /// A mailing reached these households (with the channel each was reached by): the follow-ups waiting for it send their
    /// messages the same way, and are marked queued. The caller saves, in the mailing's transaction.
    /// </summary>
    internal async Task<int> QueueWithMailingAsync(IReadOnlyDictionary<HouseholdId, DeliveryChannel> reached, LocalDate today, CancellationToken cancellationToken)
    {
        if (reached.Count == 0 || _byRule.Count == 0)
        {
            return 0;
        }

        var ids = reached.Keys.ToList();
        var waiting = await (from f in _db.FollowUps()
                             join a in _db.Alerts on f.AlertId equals a.Id
                             where f.Status == FollowUpStatus.QueuedForClient && f.MessageKey == null && EF.Parameter(ids).Contains(f.HouseholdId)
                             select new { FollowUp = f, a.RuleKey })
            .ToListAsync(cancellationToken);
        waiting.RemoveAll(w => !_byRule.ContainsKey(w.RuleKey));
        if (waiting.Count == 0)
        {
            return 0;
        }

        // One that cannot be reached this way keeps waiting for the next mailing.
        return await QueueOnAsync(waiting.Select(w => (w.FollowUp, _byRule[w.RuleKey], reached[w.FollowUp.HouseholdId])).ToList(), today, null, cancellationToken);
    }

    /// <summary>
    /// Renders each follow-up's message for its household on the given channel and queues it, marking the follow-up
    /// queued; returns how many were queued. Those that cannot go that way go to <paramref name="failed"/> with the reason.
    /// </summary>
    private async Task<int> QueueOnAsync(IReadOnlyList<(AlertFollowUp FollowUp, Campaign Message, DeliveryChannel Channel)> items, LocalDate today,
        List<Undeliverable>? failed, CancellationToken cancellationToken)
    {
        var households = await AudienceHouseholds.ByIdsAsync(_db, items.Select(d => d.FollowUp.HouseholdId).Distinct().ToList(), today, cancellationToken);
        var envelopes = new List<OutboxEnvelope>();
        foreach (var group in items.GroupBy(d => d.Message.Id))
        {
            var run = await new CampaignRecipients(_db, _clock).StartAsync(group.First().Message, cancellationToken);
            var wanted = group.Where(d => households.ContainsKey(d.FollowUp.HouseholdId)).ToList();

            // The channel is already chosen; the household is planned for it alone, so a missing address shows.
            var planned = await run.PlanAsync(wanted.Select(d => households[d.FollowUp.HouseholdId] with { PreferredChannels = [d.Channel.Name()] }).ToList(), cancellationToken);
            for (var i = 0; i < wanted.Count; i++)
            {
                var (followUp, message, channel) = wanted[i];
                var r = planned[i];
                if (!r.Deliverable || r.Plan.Channel != channel)
                {
                    failed?.Add(new(followUp, Why(r, channel)));
                    continue;
                }

                var key = Key(followUp.AlertId);
                envelopes.Add(Envelope(key, r, message.Id));
                followUp.QueuedForClient(key);
            }
        }

        return await OutboxQueue.AddAsync(_db, envelopes, _clock.GetCurrentInstant(), await CommunicationSettingsStore.RetentionAsync(_db, cancellationToken), cancellationToken);
    }

    private static OutboxEnvelope Envelope(string key, PlannedRecipient r, CampaignId message) => new(
        key, CampaignKind.AlertFollowUp.Key(), r.Plan.Channel!.Value, r.Plan.RecipientName, r.Plan.Address!, r.Message!.Subject, r.Message.TextBody, r.Message.HtmlBody,
        HouseholdId: r.Household.Id, CampaignId: message.Value);

    private static DeliveryChannel Delivery(FollowUpChannel channel) => channel switch
    {
        FollowUpChannel.Email => DeliveryChannel.Email,
        FollowUpChannel.Letter => DeliveryChannel.Letter,
        _ => DeliveryChannel.Portal,
    };

    private static string Why(PlannedRecipient r, DeliveryChannel wanted) => r.Plan.Channel != wanted
        ? wanted switch
        {
            DeliveryChannel.Email => "the household's primary member has no email address",
            DeliveryChannel.Letter => "the household has no mailing address",
            _ => "the household cannot be reached through the portal",
        }
        : string.Join(" ", r.Issues.Where(i => i.Blocking).Select(i => i.Message));
}
