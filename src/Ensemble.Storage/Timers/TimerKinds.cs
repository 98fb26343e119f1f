using Ensemble.Common;
using NodaTime;

namespace Ensemble.Storage.Timers;

/// <summary>
/// The kinds of timer and what firing each does. A timer's payload is checked when it is scheduled, so
/// a malformed one is refused then, not when it falls due at night.
/// </summary>
public static class TimerKinds
{
    /// <summary>The longest pause before a timer that failed unexpectedly is tried again.</summary>
    public static readonly Duration MaxRetryDelay = Duration.FromMinutes(5);

    /// <summary>Null if a timer of this kind can carry this payload; otherwise why not.</summary>
    public static Error? Check(string kind, string payloadJson) => kind switch
    {
        StartProcessTimer.Kind => StartProcessTimer.Read(payloadJson).Error,
        _ => Error.Invalid($"There is no kind of timer called \"{kind}\"; the kinds are: {StartProcessTimer.Kind}."),
    };

    /// <summary>
    /// Fires a timer <paramref name="node"/> has claimed: does its effect and marks it fired in one transaction.
    /// An unexpected failure gives the timer back with a growing pause (2 s, 4 s, … up to
    /// <see cref="MaxRetryDelay"/>) instead of failing the caller; cancellation is not caught.
    /// </summary>
    public static async Task<TimerOutcome> FireAsync(EnsembleDb db, IClock clock, DueTimer timer, string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        try
        {
            return timer.Kind switch
            {
                StartProcessTimer.Kind => await StartProcessTimer.FireAsync(db, clock, timer, node, cancellationToken),
                _ => await RefuseAsync(db, clock, timer, node, $"There is no kind of timer called \"{timer.Kind}\".", cancellationToken),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            var now = clock.GetCurrentInstant();
            var retryAt = now + RetryDelay(timer.Attempts);
            var reason = $"{ex.GetType().Name}: {ex.Message}";
            var released = await TimerStore.ReleaseAsync(db, timer, node, retryAt, reason, cancellationToken);
            return released
                ? new TimerOutcome(TimerOutcomeKind.Retrying, $"failed ({reason}); tried again from {retryAt}", now)
                : new TimerOutcome(TimerOutcomeKind.LeaseLost, $"failed ({reason}), and another node has claimed it since", now);
        }
    }

    /// <summary>Settles a timer whose effect was refused; if the lease is lost, the node that holds it now decides.</summary>
    internal static async Task<TimerOutcome> RefuseAsync(EnsembleDb db, IClock clock, DueTimer timer, string node, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        return await TimerStore.FailAsync(db, timer, node, now, reason, cancellationToken)
            ? new TimerOutcome(TimerOutcomeKind.Refused, reason, now)
            : new TimerOutcome(TimerOutcomeKind.LeaseLost, $"refused ({reason}), but another node has claimed it since", now);
    }

    private static Duration RetryDelay(int attempts)
    {
        var seconds = Math.Pow(2, Math.Clamp(attempts, 1, 20));
        return Duration.FromSeconds(Math.Min(seconds, MaxRetryDelay.TotalSeconds));
    }
}
