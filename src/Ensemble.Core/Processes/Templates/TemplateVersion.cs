using NodaTime;

namespace Ensemble.Processes.Templates;

/// <summary>
/// An immutable, numbered version of a template's YAML. Editing a template adds a version;
/// instances keep the version they started with.
/// </summary>
public sealed class TemplateVersion
{
    private TemplateVersion()
    {
        Key = "";
        Name = "";
        Yaml = "";
        ContentHash = "";
        CreatedBy = "";
    }

    public TemplateVersion(string key, int number, string name, TemplateCategory category, string yaml, string contentHash, Instant createdAt, string createdBy)
    {
        Key = key;
        Number = number;
        Name = name;
        Category = category;
        Yaml = yaml;
        ContentHash = contentHash;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Common.TemplateVersionId Id { get; private set; }

    public string Key { get; private set; }

    public int Number { get; private set; }

    public string Name { get; private set; }

    public TemplateCategory Category { get; private set; }

    public string Yaml { get; private set; }

    /// <summary>SHA-256 of the YAML: importing unchanged content adds no version.</summary>
    public string ContentHash { get; private set; }

    public Instant CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }
}
