namespace Ensemble.Storage.Consolidation;

/// <summary>One problem in a consolidation settings document: its place, the setting's path (<c>facts.income.precedence[1]</c>) and what is wrong.</summary>
public sealed record SettingsProblem(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Path}: {Message}";
}
