using Ensemble.Advisory.Alerts;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>The advisory run followed at once by the follow-up of what it raised, for the callers that run both (the API, the demo).</summary>
public static class AdvisoryRunFollowUps
{
    /// <summary>Runs the framework over the book, then follows up the alerts it raised and closes what it resolved.</summary>
    public static async Task<AdvisoryRunReport> RunWithFollowUpsAsync(
        this AdvisoryRun run, EnsembleDb db, IClock clock, string actor = Alert.System, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var report = await run.RunAsync(actor, cancellationToken);
        await new FollowUpRunner(db, clock).RunAsync(actor, cancellationToken);
        return report;
    }
}
