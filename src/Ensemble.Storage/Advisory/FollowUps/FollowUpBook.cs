using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>
/// What people do with follow-ups: take one up from their digest now, outside the day's budget (its process starts
/// and the task goes to the role on the household's team, as any follow-up task). Audited.
/// </summary>
public sealed class FollowUpBook(EnsembleDb db, IClock clock)
{
    public async Task<Result<FollowUpView>> TakeUpAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        db.ChangeTracker.Clear();
        var followUp = await db.FollowUps().AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (followUp is null)
        {
            return Error.NotFound($"There is no follow-up {id}.");
        }

        if (followUp.Status != FollowUpStatus.InDigest)
        {
            return Error.Conflict($"Follow-up {id} is {FollowUpStatuses.Name(followUp.Status).ToLowerInvariant()}; only one waiting in a digest can be taken up.");
        }

        var route = FollowUpRoute.Of(new FollowUpPlan(followUp.Quadrant, followUp.Channel, followUp.Action, followUp.OwnerRole, followUp.Reason));
        var tasks = new FollowUpTasks(db, clock);
        var template = await tasks.TemplateAsync(route.TemplateKey!, actor, cancellationToken);
        if (!template.IsSuccess)
        {
            return template.Error!;
        }

        var started = await tasks.StartAsync(followUp, template.Value, actor, cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error!;
        }

        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = "take-up-follow-up";
        try
        {
            var tracked = await db.FollowUps().SingleAsync(f => f.Id == id, cancellationToken);
            var moved = tracked.TakenUp(started.Value.Instance, template.Value.ActingRole(tracked), started.Value.Assignee ?? followUp.AssigneeId, actor);
            if (!moved.IsSuccess)
            {
                return moved.Error!;
            }

            using (await WriteGate.EnterAsync(db, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict($"Follow-up {id} was changed by someone else at the same moment; read it again.");
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.Operation = null;
        }

        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        return (await new FollowUpViews(db).FindAsync(framework, id, cancellationToken))!;
    }
}
