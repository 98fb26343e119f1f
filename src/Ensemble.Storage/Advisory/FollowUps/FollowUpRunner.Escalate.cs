using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

public sealed partial class FollowUpRunner
{
    /// <summary>
    /// Alerts whose variant moved since their follow-up was decided — the rate ends in 14 days now, not in six months —
    /// or whose type the firm moved into an urgent quadrant on the canvas. A follow-up still waiting passively (planned, in a digest, on an agenda, queued for the client) whose alert
    /// became urgent is decided again from the new place and carried out afresh: its agenda point is withdrawn and a
    /// queued message superseded. Any other move only re-files the follow-up under the new type; a started task is
    /// left to the team.
    /// </summary>
    /// <summary>The alert types the firm's canvas puts in an urgent quadrant now.</summary>
    private static List<string> UrgentTypes(FirmFramework framework) =>
        framework.Types.Where(t => t.Urgency >= CanvasPlace.Midline).Select(t => t.Key).ToList();

    private async Task<(int Escalated, int Queued, int ToCalls)> EscalateAsync(FirmFramework framework, IReadOnlyList<Playbook> playbooks, FollowUpMessages messages, DateTimeZone zone, string actor, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var urgent = UrgentTypes(framework);
        var moved = await (from f in db.FollowUps()
                           join a in db.Alerts on f.AlertId equals a.Id
                           where f.Status != FollowUpStatus.Done && f.Status != FollowUpStatus.Cancelled && a.Status != AlertStatus.Resolved
                               && (a.TypeKey != f.TypeKey || (EF.Parameter(urgent).Contains(f.TypeKey) && (f.Quadrant == Quadrant.PlannedAdvice || f.Quadrant == Quadrant.SelfService)
                                   && (f.Status == FollowUpStatus.Planned || f.Status == FollowUpStatus.InDigest || f.Status == FollowUpStatus.OnAgenda
                                       || (f.Status == FollowUpStatus.QueuedForClient && f.MessageKey == null))))
                           orderby f.Id
                           select new { FollowUp = f, a.TypeKey, a.RuleKey })
            .ToListAsync(cancellationToken);
        if (moved.Count == 0)
        {
            return (0, 0, 0);
        }

        var contacts = await ContactsAsync(moved.Select(m => m.FollowUp.HouseholdId).Distinct().ToList(), zone, cancellationToken);
        var now = clock.GetCurrentInstant();
        var withdraw = new List<AlertId?>();
        var escalated = 0;
        var toSend = new List<(AlertFollowUp, string)>();
        foreach (var m in moved)
        {
            var f = m.FollowUp;
            if (framework.Type(m.TypeKey) is not { } type || !contacts.TryGetValue(f.HouseholdId, out var contact))
            {
                continue;
            }

            var (place, plan, route) = Plan(type, m.RuleKey, contact, playbooks, messages);
            var becameUrgent = place.Urgency >= CanvasPlace.Midline && f.Quadrant is Quadrant.PlannedAdvice or Quadrant.SelfService;
            var waiting = f.Status is FollowUpStatus.Planned or FollowUpStatus.InDigest or FollowUpStatus.OnAgenda or FollowUpStatus.QueuedForClient;
            if (!becameUrgent || !waiting)
            {
                f.Retype(m.TypeKey, place.Rank);
                continue;
            }

            if (f.Status == FollowUpStatus.OnAgenda)
            {
                withdraw.Add(f.AlertId);
            }

            var was = FollowUpWords.Name(f.Channel).ToLowerInvariant();
            var why = m.TypeKey == f.TypeKey ? $"The firm moved {type.Title} ({type.VariantLabel}) on the canvas and it is now urgent" : $"The alert became urgent ({type.VariantLabel})";
            var reason = $"{why}, so it is no longer left to the {was}: " + plan.Reason + route.Explain(plan);
            if (f.Replan(m.TypeKey, plan, reason, place.Rank).IsSuccess)
            {
                if (CarryOut(f, route, contact, type, framework.Rule(m.RuleKey)?.Advice, now, actor) == FollowUpRouteKind.ClientMessage)
                {
                    toSend.Add((f, m.RuleKey));
                }

                escalated++;
            }
        }

        var toCalls = await SendAsync(messages, toSend, playbooks, cancellationToken);

        if (withdraw.Count > 0)
        {
            foreach (var item in await db.AgendaItems().Where(i => i.WithdrawnAt == null && EF.Parameter(withdraw).Contains(i.AlertId)).ToListAsync(cancellationToken))
            {
                item.Withdraw(now, "The alert became urgent and is followed up another way.");
            }
        }

        db.Actor = actor;
        db.Operation = "follow-up-alert";
        using (await WriteGate.EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return (escalated, toSend.Count - toCalls, toCalls);
    }
}
