namespace Ensemble.Storage;

/// <summary>A change decided and ready to write: its statements, and its audit events waiting for the ids they name.</summary>
internal sealed record PreparedChange(DirectSave.Plan Plan, IReadOnlyList<AuditCapture> Captured);
