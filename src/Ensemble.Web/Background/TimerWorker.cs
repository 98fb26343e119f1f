using Ensemble.Storage;
using Ensemble.Storage.Timers;
using Ensemble.Web.Hosting;

namespace Ensemble.Web.Background;

/// <summary>
/// Fires due timers from this node: claims a small batch (oldest due first), fires each in the transaction
/// of its effect, and otherwise sleeps until the next timer is due, waking at least every poll interval to
/// notice timers other nodes schedule or give up. It never reads more than one batch, however many are pending.
/// </summary>
internal sealed class TimerWorker(IServiceScopeFactory scopes, EnsembleSettings settings, BackgroundWorkOptions options, IHostApplicationLifetime lifetime, Readiness readiness, ILogger<TimerWorker> log)
    : BackgroundService
{
    /// <summary>A pause when a timer is due but was not claimable a moment ago (another node's claim was committing).</summary>
    private static readonly TimeSpan Breath = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan MaxErrorPause = TimeSpan.FromSeconds(30);

    // Timers of one claim fired side by side: enough to overlap their commits, few enough to leave the cores to requests.
    private const int FiredAtOnce = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        // Serving must not wait for the first claim, and the first claim waits for serving.
        await Task.Yield();
        if (!await AppStarted.WhenAsync(lifetime, readiness, stoppingToken))
        {
            return;
        }

        log.LogInformation("Timers: node {Node} claims up to {Batch} due timers at a time, each leased for {Lease} s.", settings.NodeName, options.TimerBatch, options.TimerLease.TotalSeconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                pause = await WorkAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                pause = TimeSpan.FromTicks(Math.Min(options.TimerPoll.Ticks << Math.Min(failures, 16), MaxErrorPause.Ticks));
                log.LogError(ex, "Timers: could not claim or fire timers on node {Node}; trying again in {Pause}.", settings.NodeName, pause);
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Sleeps until the next timer is due, or claims and fires one batch if one is; returns how long to sleep.
    /// An idle node only reads (one indexed query a poll); it writes a claim only when something is due.
    /// </summary>
    private async Task<TimeSpan> WorkAsync(CancellationToken stoppingToken)
    {
        var clock = settings.Clock;
        var node = settings.NodeName;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EnsembleDb>();
        var now = clock.GetCurrentInstant();
        var next = await TimerStore.NextDueAsync(db, now, stoppingToken);
        if (next is null || next > now)
        {
            var wait = next is null ? options.TimerPoll : (next.Value - now).ToTimeSpan();
            return wait < options.TimerPoll ? wait : options.TimerPoll;
        }

        var claimed = await TimerStore.ClaimDueAsync(db, node, clock.GetCurrentInstant(), options.TimerBatch, options.TimerLease, stoppingToken);

        // A few at a time, each with a context of its own: one after another, a burst of due timers (a node's share
        // after another node died) waited behind each start's commit, and fired seconds late on a busy machine.
        var unfired = new System.Collections.Concurrent.ConcurrentQueue<DueTimer>();
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = FiredAtOnce }, async (timer, _) =>
        {
            if (stoppingToken.IsCancellationRequested)
            {
                unfired.Enqueue(timer);
                return;
            }

            // The timer in hand is finished even when stopping: a start takes milliseconds.
            await using var own = scopes.CreateAsyncScope();
            var firing = own.ServiceProvider.GetRequiredService<EnsembleDb>();
            Report(timer, await TimerKinds.FireAsync(firing, clock, timer, node, CancellationToken.None));
        });

        if (!unfired.IsEmpty)
        {
            await HandBackAsync(db, [.. unfired]);
            return TimeSpan.Zero;
        }

        // Nothing claimed although something was due: another node's claim of it was committing.
        return claimed.Count == 0 ? Breath : TimeSpan.Zero;
    }

    /// <summary>On the way out, gives back what was claimed but not fired, so another node need not wait for the leases.</summary>
    private async Task HandBackAsync(EnsembleDb db, List<DueTimer> unfired)
    {
        var now = settings.Clock.GetCurrentInstant();
        foreach (var timer in unfired)
        {
            await TimerStore.ReleaseAsync(db, timer, settings.NodeName, now, cancellationToken: CancellationToken.None);
        }

        log.LogInformation("Timers: node {Node} is stopping and gave back {Count} claimed timers.", settings.NodeName, unfired.Count);
    }

    private void Report(DueTimer timer, TimerOutcome outcome)
    {
        var late = (outcome.At - timer.DueAt).TotalMilliseconds;
        switch (outcome.Kind)
        {
            case TimerOutcomeKind.Fired:
                log.LogInformation("Timer {Key} ({Kind}) fired by {Node}, {Late:0} ms after due: {Detail}.", timer.Key, timer.Kind, settings.NodeName, late, outcome.Detail);
                break;
            case TimerOutcomeKind.LeaseLost:
                log.LogInformation("Timer {Key} ({Kind}) left to another node: {Detail}.", timer.Key, timer.Kind, outcome.Detail);
                break;
            default:
                log.LogWarning("Timer {Key} ({Kind}) {Outcome} on {Node}: {Detail}.", timer.Key, timer.Kind, outcome.Kind, settings.NodeName, outcome.Detail);
                break;
        }
    }
}
