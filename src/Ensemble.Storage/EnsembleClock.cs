using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage;

/// <summary>The clock the CLI and the web app run on.</summary>
public static class EnsembleClock
{
    public const string EnvironmentVariable = "ENSEMBLE_NOW";

    /// <summary>ENSEMBLE_NOW pins the clock (an ISO instant) for rehearsals and tests; otherwise the system clock.</summary>
    public static IClock FromEnvironment()
    {
        var pinned = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(pinned))
        {
            return SystemClock.Instance;
        }

        var parsed = InstantPattern.ExtendedIso.Parse(pinned.Trim());
        return parsed.Success
            ? new PinnedClock(parsed.Value)
            : throw new InvalidOperationException($"{EnvironmentVariable}=\"{pinned}\" is not an ISO instant such as 2026-11-24T14:00:00Z.");
    }

    private sealed class PinnedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
