using YamlDotNet.RepresentationModel;

namespace Ensemble.Processes.Templates;

/// <summary>A step as read, with the nodes its values came from, until the whole template checks out.</summary>
internal sealed class StepDraft(int number, YamlNode node)
{
    /// <summary>1-based position in the file; names the step in messages when its key is missing.</summary>
    public int Number { get; } = number;

    public YamlNode Node { get; } = node;

    public string? Key { get; set; }

    public YamlNode? KeyNode { get; set; }

    public string Title { get; set; } = "";

    public string Instructions { get; set; } = "";

    public string Role { get; set; } = "";

    public int Minutes { get; set; } = TemplateReader.DefaultMinutes;

    public string? DueText { get; set; }

    public YamlNode? DueNode { get; set; }

    public DueRuleSyntax? DueSyntax { get; set; }

    public DueRule? Due { get; set; }

    public List<NamedNode> After { get; } = [];

    public FactCondition? Condition { get; set; }

    public List<string> Checklist { get; } = [];

    public bool Skippable { get; set; }

    public string Label => Key is null ? $"step {Number}" : $"step \"{Key}\"";
}
