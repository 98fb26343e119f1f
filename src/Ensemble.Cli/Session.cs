using System.CommandLine;
using Ensemble.Storage;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Cli;

/// <summary>What every command shares: where the data is, who is acting, and the clock.</summary>
internal sealed class Session
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "SQLite file (default ./ensemble.db) or a PostgreSQL connection string (Host=…); also ENSEMBLE_DB.",
        Recursive = true,
    };

    public static readonly Option<string?> As = new("--as")
    {
        Description = "Your staff handle, recorded in the audit trail; also ENSEMBLE_USER.",
        Recursive = true,
    };

    private Session(DatabaseLocation location, string actor, IClock clock)
    {
        Location = location;
        Actor = actor;
        Clock = clock;
    }

    public DatabaseLocation Location { get; }

    public string Actor { get; }

    /// <summary>True when --as (or ENSEMBLE_USER) named someone, rather than the default administrator.</summary>
    public bool ActorGiven => Actor != DefaultActor;

    public IClock Clock { get; }

    public const string DefaultActor = "admin";

    public static Session From(ParseResult parse)
    {
        var actor = parse.GetValue(As) ?? Environment.GetEnvironmentVariable("ENSEMBLE_USER") ?? DefaultActor;
        return new Session(EnsembleDatabase.Describe(parse.GetValue(Db)), actor.Trim().ToLowerInvariant(), ClockFromEnvironment());
    }

    public EnsembleDb Open() => EnsembleDatabase.CreateContext(Location, Clock);

    /// <summary>ENSEMBLE_NOW pins the clock (an ISO instant) for rehearsals and tests; otherwise the system clock.</summary>
    private static IClock ClockFromEnvironment()
    {
        var pinned = Environment.GetEnvironmentVariable("ENSEMBLE_NOW");
        if (string.IsNullOrWhiteSpace(pinned))
        {
            return SystemClock.Instance;
        }

        var parsed = InstantPattern.ExtendedIso.Parse(pinned.Trim());
        return parsed.Success
            ? new PinnedClock(parsed.Value)
            : throw new InvalidOperationException($"ENSEMBLE_NOW=\"{pinned}\" is not an ISO instant such as 2026-11-24T14:00:00Z.");
    }

    private sealed class PinnedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
