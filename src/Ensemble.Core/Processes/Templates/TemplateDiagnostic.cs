namespace Ensemble.Processes.Templates;

/// <summary>One problem found in a template, pointing at the place in its file.</summary>
public sealed record TemplateDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>A template that loaded, or every problem that stopped it loading.</summary>
public sealed record TemplateLoadResult(ProcessTemplate? Template, IReadOnlyList<TemplateDiagnostic> Diagnostics)
{
    public bool Succeeded => Template is not null && Diagnostics.Count == 0;
}
