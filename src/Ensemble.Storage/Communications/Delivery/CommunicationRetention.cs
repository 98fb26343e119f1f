using Ensemble.Storage.Communications.Archive;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>How long sent messages are kept: the firm's books-and-records period, read once per sending pass.</summary>
internal static class CommunicationRetention
{
    public static Task<Duration> ForAsync(EnsembleDb db, CancellationToken cancellationToken) =>
        CommunicationSettingsStore.RetentionAsync(db, cancellationToken);
}
