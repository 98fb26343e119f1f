using Ensemble.Storage;
using Ensemble.Storage.Communications.Delivery;
using Ensemble.Web.Hosting;

namespace Ensemble.Web.Background;

/// <summary>
/// Sends the outbox from this node: one sending loop with one SMTP connection and one send journal, claiming small
/// batches, idling with one indexed read a second when nothing is due. Every node may run it; claims keep each
/// message to one sender, and the journal keeps a message from going twice when a node is killed mid-send.
/// </summary>
internal sealed class OutboxWorker(IServiceScopeFactory scopes, EnsembleSettings settings, BackgroundWorkOptions options, DeliverySettings delivery, IHostApplicationLifetime lifetime, Readiness readiness, ILogger<OutboxWorker> log)
    : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxErrorPause = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        await Task.Yield();
        if (!await AppStarted.WhenAsync(lifetime, readiness, stoppingToken))
        {
            return;
        }

        if (delivery.SmtpHost is null)
        {
            log.LogInformation("Outbox: no mail server configured (smtp-host); letters and portal messages go, email waits.");
        }
        else
        {
            log.LogInformation("Outbox: sending email through {Host}:{Port} at up to {Rate}/s; journals in {Journal}.", delivery.SmtpHost, delivery.SmtpPort, delivery.RatePerSecond, delivery.JournalDirectory);
        }

        await using var sender = new OutboxSender(delivery, settings.Clock, settings.NodeName);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EnsembleDb>();
                var pass = await sender.SendDueAsync(db, stoppingToken);
                if (pass.Claimed > 0 || pass.RecoveredSent + pass.RecoveredRequeued > 0)
                {
                    log.LogInformation("Outbox: {Pass}.", pass);
                }

                pause = pass.Claimed == 0 ? Idle : TimeSpan.Zero;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                pause = TimeSpan.FromTicks(Math.Min(Idle.Ticks << Math.Min(failures, 16), MaxErrorPause.Ticks));
                log.LogError(ex, "Outbox: a sending pass failed on node {Node}; trying again in {Pause}.", settings.NodeName, pause);
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
}
