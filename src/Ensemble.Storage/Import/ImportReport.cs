using Ensemble.Processes.Running;

namespace Ensemble.Storage.Import;

/// <summary>What a CSV file holds.</summary>
public enum ImportKind
{
    Households,
    Members,
    Accounts,
    Policies,
}

/// <summary>One problem in an import file, at its place: line (header = 1), column (1-based field index) and field name.</summary>
public sealed record ImportError(string File, int Line, int Column, string Field, string Message)
{
    public override string ToString() => Field.Length == 0
        ? $"{File}:{Line}:{Column}: {Message}"
        : $"{File}:{Line}:{Column}: {Field}: {Message}";
}

/// <summary>What an import did, or every problem that stopped it (then nothing was applied).</summary>
public sealed record ImportReport(IReadOnlyList<ImportError> Errors, int Created, int Updated, int Unchanged, IReadOnlyList<DomainEvent> Events)
{
    public bool Succeeded => Errors.Count == 0;

    public static ImportReport Failed(IReadOnlyList<ImportError> errors) => new(errors, 0, 0, 0, []);
}
