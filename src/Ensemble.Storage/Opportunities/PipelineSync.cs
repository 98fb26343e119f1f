using System.Data;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace Ensemble.Storage.Opportunities;

/// <summary>What one reconciliation changed.</summary>
public sealed record PipelineSyncReport(int Opened, int Moved, int Won, int BecameClients)
{
    public static readonly PipelineSyncReport Nothing = new(0, 0, 0, 0);

    public bool ChangedAnything => Opened + Moved + Won + BecameClients > 0;

    public string Summary =>
        $"Pipeline: opened {Opened} opportunity(ies) for prospects, moved {Moved} along the sales phases, {Won} won; {BecameClients} prospect(s) became clients.";

    public PipelineSyncReport Add(PipelineSyncReport other) =>
        new(Opened + other.Opened, Moved + other.Moved, Won + other.Won, BecameClients + other.BecameClients);
}

/// <summary>
/// Keeps prospects' opportunities in step with their sales and onboarding processes, which are the pipeline's
/// stages: a prospect whose sales process has started has an opportunity, standing at the phase of the furthest
/// process started (introduction, fact finding, proposal, then onboarding from the Wealth Management Meeting on);
/// when Asset Management Execution completes it is won and the household becomes a client (the engine does not
/// change lifecycle stages itself), which starts whatever listens for new clients.
/// </summary>
/// <remarks>
/// A reconciler rather than a hook in the work service, so it catches up after downtime and can run as often as
/// the sweep does. Idempotent: it only ever moves an opportunity forward, dates each move when its process
/// started (so time in stage is true however seldom it runs), never touches a Lost (or Won) one, and does
/// nothing for a household already in step. Safe on several nodes at once: each household is reconciled in one
/// serializable transaction, and one that loses a race is left for the next run.
/// </remarks>
public sealed class PipelineSync(EnsembleDb db, IClock clock)
{
    /// <summary>The process that makes a prospect a client when it completes.</summary>
    public const string ClosingProcess = "asset-management-execution";

    /// <summary>The title of an opportunity the reconciler opens for a prospect.</summary>
    public const string NewRelationshipTitle = "New client relationship";

    private const int Attempts = 3;

    /// <summary>The stage a prospect's opportunity reaches when each process of the sales and onboarding chain starts.</summary>
    public static IReadOnlyDictionary<string, OpportunityStage> Phases { get; } = new Dictionary<string, OpportunityStage>(StringComparer.Ordinal)
    {
        ["sales-introduction"] = OpportunityStage.Introduction,
        ["fact-finding-meeting"] = OpportunityStage.FactFinding,
        ["proposal-meeting"] = OpportunityStage.Proposal,
        ["wealth-management-meeting"] = OpportunityStage.Onboarding,
        [ClosingProcess] = OpportunityStage.Onboarding,
    };

    public async Task<PipelineSyncReport> RunAsync(string actor = "ensemble", CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.Clear();
        var keys = Phases.Keys.ToList();

        // Cancelled processes do not count: a prospect that was turned away has not reached that phase.
        var runs = await (from i in db.Instances.AsNoTracking()
                          join h in db.Households on i.HouseholdId equals h.Id
                          where h.Stage == LifecycleStage.Prospect && keys.Contains(i.TemplateKey) && i.Status != InstanceStatus.Cancelled
                          select new PhaseRun(h.Id, i.Id, i.TemplateKey, i.Status, i.StartedAt, i.EndedAt))
            .ToListAsync(cancellationToken);
        if (runs.Count == 0)
        {
            return PipelineSyncReport.Nothing;
        }

        var standing = (await (from o in db.Opportunities.AsNoTracking()
                               join h in db.Households on o.HouseholdId equals h.Id
                               where h.Stage == LifecycleStage.Prospect
                               select new { o.Id, o.HouseholdId, o.Stage, o.OpenedAt })
                .ToListAsync(cancellationToken))
            .ToLookup(o => o.HouseholdId);
        var owner = await OwnerRoleAsync(cancellationToken);

        var report = PipelineSyncReport.Nothing;
        foreach (var household in runs.GroupBy(r => r.HouseholdId))
        {
            var steps = Steps(household);
            var target = steps[^1].Stage;
            var existing = standing[household.Key].ToList();
            var adopted = existing.Where(o => IsOpen(o.Stage)).OrderBy(o => o.OpenedAt).ThenBy(o => o.Id.Value).FirstOrDefault();

            // In step already (or closed by a person): no write, no transaction.
            var inStep = target != OpportunityStage.Won
                && existing.Count > 0
                && (adopted is null || OpportunityStages.Rank(adopted.Stage) >= OpportunityStages.Rank(target));
            if (!inStep)
            {
                report = report.Add(await ReconcileAsync(household.Key, steps, owner, actor, cancellationToken));
            }
        }

        return report;
    }

    /// <summary>The household's phases reached, in pipeline order, each dated when it began; Won when the closing process completed.</summary>
    private static List<(OpportunityStage Stage, Instant At, InstanceId Instance)> Steps(IEnumerable<PhaseRun> runs)
    {
        var list = runs.ToList();
        var steps = list
            .GroupBy(r => Phases[r.TemplateKey])
            .Select(g => g.MinBy(r => r.StartedAt)!)
            .Select(r => (Stage: Phases[r.TemplateKey], At: r.StartedAt, Instance: r.InstanceId))
            .ToList();
        var closed = list.Where(r => r.TemplateKey == ClosingProcess && r.Status == InstanceStatus.Completed && r.EndedAt is not null).MinBy(r => r.EndedAt);
        if (closed is not null)
        {
            steps.Add((OpportunityStage.Won, closed.EndedAt!.Value, closed.InstanceId));
        }

        return steps.OrderBy(s => OpportunityStages.Rank(s.Stage)).ToList();
    }

    private async Task<PipelineSyncReport> ReconcileAsync(
        HouseholdId id, List<(OpportunityStage Stage, Instant At, InstanceId Instance)> steps, string owner, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            db.Actor = actor;
            db.Operation = "pipeline-sync";
            try
            {
                using var turn = await WriteGate.EnterAsync(db, cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var household = await db.Households.SingleAsync(h => h.Id == id, cancellationToken);
                if (household.Stage != LifecycleStage.Prospect)
                {
                    return PipelineSyncReport.Nothing;
                }

                var opportunities = await db.Opportunities.Where(o => o.HouseholdId == id).ToListAsync(cancellationToken);
                var (opened, moved, won) = Advance(household, opportunities, steps, owner, actor);
                await db.SaveChangesAsync(cancellationToken);

                var becameClient = 0;
                if (steps[^1].Stage == OpportunityStage.Won)
                {
                    // Asset Management Execution has completed: the prospect is now a client. The event is named after the
                    // process that closed it, so two nodes doing this at once cannot both start what listens for it.
                    db.Operation = "prospect-became-client";
                    household.MoveTo(LifecycleStage.Client);
                    await db.SaveChangesAsync(cancellationToken);
                    var became = new DomainEvent(EventKind.HouseholdBecameClient, id, null, $"client:{id}:{ClosingProcess}:{steps[^1].Instance}");
                    await new WorkService(db, clock).FollowOnAsync([became], actor, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    becameClient = 1;
                }

                await transaction.CommitAsync(cancellationToken);
                return new PipelineSyncReport(opened, moved, won, becameClient);
            }
            catch (Exception ex) when (IsRace(ex))
            {
                if (attempt >= Attempts)
                {
                    // Another node keeps winning on this household; whatever it did, the next run reconciles the rest.
                    return PipelineSyncReport.Nothing;
                }
            }
            finally
            {
                db.Operation = null;
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Opens the household's sales opportunity if it has none, and moves the one it has forward through the steps.</summary>
    private (int Opened, int Moved, int Won) Advance(
        Household household, List<Opportunity> opportunities, List<(OpportunityStage Stage, Instant At, InstanceId Instance)> steps, string owner, string actor)
    {
        var opened = 0;
        var opportunity = opportunities.Where(o => o.IsOpen).OrderBy(o => o.OpenedAt).ThenBy(o => o.Id.Value).FirstOrDefault();
        if (opportunity is null)
        {
            if (opportunities.Count > 0)
            {
                // Lost (or already won): a person decided; leave it.
                return (0, 0, 0);
            }

            var first = steps[0];
            opportunity = new Opportunity(
                household.Id, OpportunityKind.NewAssets, NewRelationshipTitle, household.Stated.InvestableAssets, household.Stated.RecurringRevenue,
                first.Stage, owner, null, first.At, actor, null);
            db.Opportunities.Add(opportunity);
            opened = 1;
        }

        var moved = 0;
        var won = 0;
        foreach (var (stage, at, _) in steps)
        {
            if (OpportunityStages.Rank(stage) <= OpportunityStages.Rank(opportunity.Stage))
            {
                continue;
            }

            var when = at > opportunity.StageChangedAt ? at : opportunity.StageChangedAt;
            if (opportunity.MoveTo(stage, when, actor, null).IsSuccess)
            {
                moved += stage == OpportunityStage.Won ? 0 : 1;
                won += stage == OpportunityStage.Won ? 1 : 0;
            }
        }

        return (opened, moved, won);
    }

    private static bool IsOpen(OpportunityStage stage) => stage is not (OpportunityStage.Won or OpportunityStage.Lost);

    /// <summary>The sales processes are the wealth partner's; a firm that removed that role gets its first role instead.</summary>
    private async Task<string> OwnerRoleAsync(CancellationToken cancellationToken) =>
        await db.Roles.AsNoTracking().AnyAsync(r => r.Key == RoleKeys.WealthPartner, cancellationToken)
            ? RoleKeys.WealthPartner
            : await db.Roles.AsNoTracking().OrderBy(r => r.Key).Select(r => r.Key).FirstAsync(cancellationToken);

    private static bool IsRace(Exception exception) => exception switch
    {
        DbUpdateException update => Conflicts.IsRetryable(update),
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => true,
        _ => exception.InnerException is { } inner && IsRace(inner),
    };

    private sealed record PhaseRun(HouseholdId HouseholdId, InstanceId InstanceId, string TemplateKey, InstanceStatus Status, Instant StartedAt, Instant? EndedAt);
}
