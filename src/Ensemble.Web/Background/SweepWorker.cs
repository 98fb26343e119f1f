using Ensemble.Storage;
using Ensemble.Storage.Work;
using Ensemble.Web.Hosting;

namespace Ensemble.Web.Background;

/// <summary>
/// Runs the clock-driven sweep (overdue flags, periodic process starts) at startup and then every
/// <c>sweep-interval-seconds</c>. Every node runs it: the sweep is safe to run concurrently.
/// </summary>
internal sealed class SweepWorker(IServiceScopeFactory scopes, EnsembleSettings settings, BackgroundWorkOptions options, IHostApplicationLifetime lifetime, Readiness readiness, ILogger<SweepWorker> log)
    : BackgroundService
{
    // The first sweep waits until the app serves and then a little longer: its passes (tiers, reminders,
    // contacts, pipeline) would otherwise compete with startup for the CPU and delay the first request.
    private static readonly TimeSpan FirstSweepDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled || options.SweepInterval is not { } interval)
        {
            return;
        }

        await Task.Yield();
        if (!await AppStarted.WhenAsync(lifetime, readiness, stoppingToken))
        {
            return;
        }

        try
        {
            await Task.Delay(interval < FirstSweepDelay ? interval : FirstSweepDelay, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        using var ticks = new PeriodicTimer(interval);
        try
        {
            do
            {
                await SweepOnceAsync(interval, stoppingToken);
            }
            while (await ticks.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }


    private async Task SweepOnceAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EnsembleDb>();
            var report = await new Sweep(db, settings.Clock).RunAsync("ensemble", stoppingToken);
            var level = report.MarkedOverdue + report.ProcessesStarted + report.OccurrencesSkipped > 0 ? LogLevel.Information : LogLevel.Debug;
            log.Log(level, "Sweep on {Node}: {Overdue} tasks newly overdue, {Started} periodic processes started, {Skipped} occurrences skipped.",
                settings.NodeName, report.MarkedOverdue, report.ProcessesStarted, report.OccurrencesSkipped);
            var reminders = await new Ensemble.Storage.ServiceModel.MeetingReminders(db).PlanAsync(settings.Clock.GetCurrentInstant(), stoppingToken);
            log.Log(reminders.Added + reminders.Updated + reminders.Removed > 0 ? LogLevel.Information : LogLevel.Debug,
                "Meeting reminders on {Node}: {Added} added, {Updated} updated, {Removed} removed.", settings.NodeName, reminders.Added, reminders.Updated, reminders.Removed);
            log.LogDebug("Sweep on {Node}: {Contacts}", settings.NodeName, (await new Ensemble.Storage.ServiceModel.ContactPlanner(db, settings.Clock).PlanAsync(Ensemble.Storage.ServiceModel.ContactPlanner.DefaultDays, "ensemble", onceADay: true, stoppingToken)).Summary);
            log.LogDebug("Sweep on {Node}: {Pipeline}", settings.NodeName, (await new Ensemble.Storage.Opportunities.PipelineSync(db, settings.Clock).RunAsync("ensemble", stoppingToken)).Summary);
            log.LogDebug("Sweep on {Node}: facts {Enrichment}", settings.NodeName, await new Ensemble.Storage.Consolidation.Enrichment(db, settings.Clock).DailyAsync("ensemble", stoppingToken));
            log.LogDebug("Sweep on {Node}: {StaffEmails}", settings.NodeName, (await new Ensemble.Storage.Communications.Notifications.StaffEmails(db, settings.Clock).RunAsync(stoppingToken)).Summary);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            log.LogError(ex, "The sweep failed on {Node}; it runs again in {Interval}.", settings.NodeName, interval);
        }
    }
}
