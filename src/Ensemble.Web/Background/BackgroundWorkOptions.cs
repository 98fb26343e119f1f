using System.Globalization;
using Ensemble.Storage.Timers;
using NodaTime;

namespace Ensemble.Web.Background;

/// <summary>
/// How the background work runs, read once from configuration (<c>--timer-lease-seconds 5</c> on the command
/// line, or the same keys in the environment or appsettings) and checked at startup, not when first used.
/// </summary>
internal sealed record BackgroundWorkOptions(bool Enabled, int TimerBatch, Duration TimerLease, TimeSpan TimerPoll, TimeSpan? SweepInterval)
{
    public static BackgroundWorkOptions From(IConfiguration configuration) => new(
        Enabled: configuration.GetValue("background-work", true),
        // Small: a node that stalls holds no more than this many timers until its lease runs out, and small
        // claims spread a burst over the nodes. A claim is one indexed statement, cheap next to a fire.
        TimerBatch: Read(configuration, "timer-batch", 10, 1, TimerStore.MaxBatch),

        // Long enough to fire a whole batch; it is also how late a dead node's claimed timers can be.
        TimerLease: Duration.FromSeconds(Read(configuration, "timer-lease-seconds", 30, 1, 3_600)),

        // The longest a node sleeps: timers scheduled or given back by other nodes are seen this soon.
        TimerPoll: TimeSpan.FromMilliseconds(Read(configuration, "timer-poll-milliseconds", 500, 10, 60_000)),
        SweepInterval: Read(configuration, "sweep-interval-seconds", 60, 0, 86_400) is var seconds and > 0 ? TimeSpan.FromSeconds(seconds) : null);

    private static int Read(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{key}={text} is not a whole number from {min} to {max}.");
    }
}
