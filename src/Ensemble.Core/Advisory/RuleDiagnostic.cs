namespace Ensemble.Advisory;

/// <summary>One problem in a framework file, pointing at the place: file, line and column (1-based).</summary>
public sealed record RuleDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
