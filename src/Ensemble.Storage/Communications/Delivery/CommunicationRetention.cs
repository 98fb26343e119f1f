using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>How long sent messages are kept: the firm's books-and-records period.</summary>
internal static class CommunicationRetention
{
    public static Task<Duration> ForAsync(EnsembleDb db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        _ = cancellationToken;
        return Task.FromResult(OutboxQueue.DefaultRetention);
    }
}
