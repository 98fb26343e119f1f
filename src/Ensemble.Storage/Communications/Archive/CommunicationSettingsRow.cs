namespace Ensemble.Storage.Communications.Archive;

/// <summary>The firm's communication record-keeping settings: one row (id 1), so an edit is one audited change.</summary>
public sealed class CommunicationSettingsRow
{
    public int Id { get; init; } = 1;

    public int RetentionYears { get; set; }

    public int FiscalYearEndMonth { get; set; }

    public int FiscalYearEndDay { get; set; }

    public string? AppAddress { get; set; }

    public int Version { get; set; }
}
