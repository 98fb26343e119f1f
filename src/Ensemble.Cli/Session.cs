using System.CommandLine;
using Ensemble.Storage;
using NodaTime;

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
        return new Session(EnsembleDatabase.Describe(parse.GetValue(Db)), actor.Trim().ToLowerInvariant(), EnsembleClock.FromEnvironment());
    }

    public EnsembleDb Open() => EnsembleDatabase.CreateContext(Location, Clock);
}
