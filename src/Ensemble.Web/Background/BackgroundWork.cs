using Ensemble.Web.Background;

// In the hosting namespace, beside AddEnsembleWeb, so Program.cs registers the background work in one line.
namespace Ensemble.Web.Hosting;

/// <summary>The work each web process does besides serving: firing due timers, the overdue/periodic sweep, and sending the outbox.</summary>
internal static class BackgroundWork
{
    /// <summary>
    /// Registers the timer and sweep workers. Every web process on a database runs them; claims and the
    /// sweep's unique keys make each due item happen once. <c>background-work=false</c> turns them off.
    /// </summary>
    public static IServiceCollection AddBackgroundWork(this IServiceCollection services)
    {
        services.AddSingleton(provider => BackgroundWorkOptions.From(provider.GetRequiredService<IConfiguration>()));
        services.AddHostedService<TimerWorker>();
        services.AddHostedService<SweepWorker>();
        services.AddSingleton(provider => Storage.Communications.Delivery.DeliverySettingsReader.Read(
            key => provider.GetRequiredService<IConfiguration>()[key], provider.GetRequiredService<EnsembleSettings>().Database));
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
