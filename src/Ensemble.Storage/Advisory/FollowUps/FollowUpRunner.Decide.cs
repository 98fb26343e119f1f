using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

public sealed partial class FollowUpRunner
{
    private readonly record struct DecideCounts(int Decided, int OnAgenda, int Queued, int Redirected);

    private sealed record NewAlert(AlertId Id, HouseholdId Household, string TypeKey, string RuleKey);

    private sealed record Contact(IReadOnlyList<string> Channels, bool DoNotContact, TouchpointId? NextMeeting);

    /// <summary>
    /// Decides a plan for every new alert (not snoozed) that has no follow-up, a batch at a time: agenda points and
    /// client messages are carried out at once; tasks stay planned for the budget to allocate.
    /// </summary>
    private async Task<DecideCounts> DecideAsync(FirmFramework framework, IReadOnlyList<Playbook> playbooks, FollowUpMessages messages, DateTimeZone zone, LocalDate today, string actor, CancellationToken cancellationToken)
    {
        int decided = 0, agenda = 0, queued = 0, redirected = 0;
        var skipped = new List<AlertId>();
        while (true)
        {
            db.ChangeTracker.Clear();
            var alerts = await db.Alerts.AsNoTracking()
                .Where(a => a.Status == AlertStatus.New && (a.SnoozedUntil == null || a.SnoozedUntil <= today)
                    && !db.FollowUps().Any(f => f.AlertId == a.Id) && !EF.Parameter(skipped).Contains(a.Id))
                .OrderBy(a => a.Id)
                .Select(a => new NewAlert(a.Id, a.HouseholdId, a.TypeKey, a.RuleKey))
                .Take(Batch)
                .ToListAsync(cancellationToken);
            if (alerts.Count == 0)
            {
                return new DecideCounts(decided, agenda, queued, redirected);
            }

            var contacts = await ContactsAsync(alerts.Select(a => a.Household).Distinct().ToList(), zone, cancellationToken);
            var now = clock.GetCurrentInstant();
            db.Actor = actor;
            db.Operation = "follow-up-alert";
            var toSend = new List<(AlertFollowUp, string)>();
            foreach (var alert in alerts)
            {
                // A type the framework no longer has is closed by the next advisory run; it gets no follow-up.
                if (framework.Type(alert.TypeKey) is not { } type || !contacts.TryGetValue(alert.Household, out var contact))
                {
                    skipped.Add(alert.Id);
                    continue;
                }

                var (place, plan, route) = Plan(type, alert.RuleKey, contact, playbooks, messages);
                var followUp = new AlertFollowUp(alert.Id, alert.Household, alert.TypeKey, plan, plan.Reason + route.Explain(plan), place.Rank, now, today);
                switch (CarryOut(followUp, route, contact, type, framework.Rule(alert.RuleKey)?.Advice, now, actor))
                {
                    case FollowUpRouteKind.Agenda:
                        agenda++;
                        break;
                    case FollowUpRouteKind.ClientMessage:
                        toSend.Add((followUp, alert.RuleKey));
                        break;
                }

                db.FollowUps().Add(followUp);
                decided++;
            }

            var undelivered = await SendAsync(messages, toSend, playbooks, cancellationToken);
            queued += toSend.Count - undelivered;
            redirected += undelivered;

            try
            {
                using var turn = await WriteGate.EnterAsync(db, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (Conflicts.IsUniqueViolation(ex))
            {
                // Someone decided some of these alerts meanwhile (a run without the lease, a person): read again.
                decided -= db.ChangeTracker.Entries<AlertFollowUp>().Count();
                db.ChangeTracker.Clear();
                return new DecideCounts(Math.Max(0, decided), agenda, queued, redirected);
            }
        }
    }

    /// <summary>The plan for an alert of this type in this household, and how it is carried out.</summary>
    private static (CanvasPlace Place, FollowUpPlan Plan, FollowUpRoute Route) Plan(
        AlertType type, string ruleKey, Contact contact, IReadOnlyList<Playbook> playbooks, FollowUpMessages messages)
    {
        var place = new CanvasPlace(type.Urgency, type.Sensitivity);
        var household = new FollowUpHousehold(contact.Channels, contact.DoNotContact, contact.NextMeeting is not null);
        var plan = FollowUpPlanner.Decide(place, household, playbooks, (channel, action) => messages.Unavailable(ruleKey, channel, action));
        return (place, plan, FollowUpRoute.Of(plan));
    }

    /// <summary>
    /// Queues the client messages of these follow-ups; one that cannot go by its channel (no address for it, a merge
    /// field without a value) becomes a call by the quadrant's caller, left planned for the budget. Returns how many became calls.
    /// </summary>
    private static async Task<int> SendAsync(FollowUpMessages messages, List<(AlertFollowUp FollowUp, string RuleKey)> toSend, IReadOnlyList<Playbook> playbooks, CancellationToken cancellationToken)
    {
        if (toSend.Count == 0)
        {
            return 0;
        }

        var undelivered = await messages.QueueAsync(toSend, cancellationToken);
        foreach (var (followUp, why) in undelivered)
        {
            ToCall(followUp, playbooks, $"The {FollowUpWords.Name(followUp.Channel).ToLowerInvariant()} could not be sent ({why.TrimEnd('.')})");
        }

        return undelivered.Count;
    }

    /// <summary>A client message that cannot go, or did not arrive: the quadrant's caller phones instead.</summary>
    private static void ToCall(AlertFollowUp followUp, IReadOnlyList<Playbook> playbooks, string what)
    {
        var playbook = playbooks.First(p => p.Quadrant == followUp.Quadrant);
        var reason = $"{what}, so the {playbook.CallerRole.Replace('-', ' ')} calls.";
        followUp.Replan(followUp.TypeKey, new FollowUpPlan(followUp.Quadrant, FollowUpChannel.PhoneCall, followUp.Action, playbook.CallerRole, reason), reason, followUp.Rank);
    }

    /// <summary>Carries out what needs no budget at once: the point on the next meeting's agenda. Tasks stay planned; client messages are the caller's to queue.</summary>
    private FollowUpRouteKind CarryOut(AlertFollowUp followUp, FollowUpRoute route, Contact contact, AlertType type, string? advice, Instant now, string actor)
    {
        switch (route.Kind)
        {
            case FollowUpRouteKind.Agenda:
                db.AgendaItems().Add(new AgendaItem(contact.NextMeeting!.Value, followUp.HouseholdId, followUp.AlertId, AgendaText(type, advice), now, actor));
                followUp.OnAgenda(contact.NextMeeting.Value);
                break;
        }

        return route.Kind;
    }

    /// <summary>What the planner needs of each household: its channels in order, do-not-contact, and its next scheduled meeting.</summary>
    private async Task<Dictionary<HouseholdId, Contact>> ContactsAsync(List<HouseholdId> ids, DateTimeZone zone, CancellationToken cancellationToken)
    {
        var households = await db.Households.AsNoTracking()
            .Where(h => EF.Parameter(ids).Contains(h.Id))
            .Select(h => new { h.Id, h.PreferredChannels, h.DoNotContact })
            .ToListAsync(cancellationToken);
        var next = await NextMeetingsAsync(db, ids, zone, clock.GetCurrentInstant(), cancellationToken);
        return households.ToDictionary(h => h.Id, h => new Contact(h.PreferredChannels, h.DoNotContact, next.TryGetValue(h.Id, out var t) ? t : null));
    }

    /// <summary>Each household's next planned meeting that has not started yet.</summary>
    internal static async Task<Dictionary<HouseholdId, TouchpointId>> NextMeetingsAsync(
        EnsembleDb db, List<HouseholdId> ids, DateTimeZone zone, Instant now, CancellationToken cancellationToken)
    {
        var local = now.InZone(zone).LocalDateTime;
        var meetings = await db.Touchpoints.AsNoTracking()
            .Where(t => EF.Parameter(ids).Contains(t.HouseholdId) && t.Status == TouchpointStatus.Planned && t.StartsAt > local)
            .Select(t => new { t.HouseholdId, t.Id, t.StartsAt })
            .ToListAsync(cancellationToken);
        return meetings.GroupBy(m => m.HouseholdId).ToDictionary(g => g.Key, g => g.OrderBy(m => m.StartsAt).ThenBy(m => m.Id.Value).First().Id);
    }

    /// <summary>"Cash above target (over 10% in cash): agree how much cash to invest." — what the advisor takes up at the meeting.</summary>
    private static string AgendaText(AlertType type, string? advice) =>
        $"{type.Title} ({type.VariantLabel})" + (string.IsNullOrWhiteSpace(advice) ? "" : $": {advice.Trim()}");
}
