namespace Ensemble.Storage.ServiceModel;

/// <summary>The firm's service settings as one JSON document (one row, id 1), so a firm's edit is one audited change.</summary>
public sealed class ServiceSettingsRow
{
    public int Id { get; init; } = 1;

    public required string Document { get; set; }

    public int Version { get; set; }
}
