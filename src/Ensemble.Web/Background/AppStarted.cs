using Ensemble.Web.Hosting;

namespace Ensemble.Web.Background;

/// <summary>
/// Lets background work wait until the app is serving over a ready database: on two cores its first round of
/// queries (and their compilation) would otherwise compete with start-up and delay the first request.
/// </summary>
internal static class AppStarted
{
    /// <summary>True once the app has started and its database is ready; false when it stops or never gets ready.</summary>
    public static async Task<bool> WhenAsync(IHostApplicationLifetime lifetime, Readiness readiness, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            await readiness.Prepared.WaitAsync(stoppingToken);
            return true;
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested || readiness.Prepared.IsFaulted)
        {
            // Stopping, or the database could not be made ready (the app is stopping and reports why).
            return false;
        }
    }
}
