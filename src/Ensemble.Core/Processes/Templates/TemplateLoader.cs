namespace Ensemble.Processes.Templates;

/// <summary>
/// Reads process templates from YAML and writes them back. Loading checks everything a template can
/// get wrong — syntax, unknown or misspelt fields, types, roles, dependencies, cycles, due rules and
/// conditions — and reports every problem at once with its line and column, so a bad template fails
/// on import rather than when it runs. The schema is described in docs/templates.md.
/// </summary>
public static class TemplateLoader
{
    /// <summary>
    /// Parses one template (one YAML document). Never throws for bad input: problems come back as
    /// diagnostics pointing at the offending node of <paramref name="fileName"/>.
    /// </summary>
    /// <param name="yaml">The template's YAML text.</param>
    /// <param name="fileName">Names the file in diagnostics.</param>
    /// <param name="knownRoles">The firm's role keys; every owner and step role must be one of them.</param>
    public static TemplateLoadResult Load(string yaml, string fileName, IReadOnlySet<string> knownRoles)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(knownRoles);
        return new TemplateReader(yaml, fileName, knownRoles).Read();
    }

    /// <summary>Writes <paramref name="template"/> in the schema <see cref="Load"/> reads; loading the result gives the same template.</summary>
    public static string ToYaml(ProcessTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return TemplateYamlWriter.Write(template);
    }
}
