using Ensemble.Storage;
using NodaTime;

namespace Ensemble.Web.Hosting;

/// <summary>Where the data lives and what time it is, fixed for the life of the process.</summary>
public sealed record EnsembleSettings(DatabaseLocation Database, IClock Clock, string NodeName)
{
    /// <summary>
    /// The database comes from <c>--db</c> (or <c>db</c> in configuration), then ENSEMBLE_DB, then ./ensemble.db —
    /// the same rule as the CLI, so both work on the same firm. Its connections are the kind a server with many
    /// requests at once wants (<see cref="EnsembleDatabase.ForManyRequests"/>).
    /// </summary>
    public static EnsembleSettings From(IConfiguration configuration) => new(
        EnsembleDatabase.ForManyRequests(EnsembleDatabase.Describe(configuration["db"])),
        EnsembleClock.FromEnvironment(),
        configuration["node"] ?? $"{Environment.MachineName}:{Environment.ProcessId}");
}
