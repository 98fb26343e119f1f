using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ensemble.Processes.Templates;

/// <summary>
/// Reads one template document field by field, reporting every problem with its position instead of
/// stopping at the first. Graph-wide checks (dependencies, cycles, due rules) are left to <see cref="TemplateValidator"/>.
/// </summary>
internal sealed partial class TemplateReader
{
    internal const int DefaultMinutes = 15;

    private const string TheTemplate = "the template";

    private static readonly string[] TemplateFields = ["key", "name", "category", "scope", "description", "owner", "anchors", "triggers", "steps"];

    private static readonly string[] StepFields = ["key", "title", "role", "instructions", "minutes", "due", "after", "when", "checklist", "skippable"];

    internal static readonly Dictionary<string, TemplateCategory> Categories = new(StringComparer.Ordinal)
    {
        ["client-management"] = TemplateCategory.ClientManagement,
        ["service-requests"] = TemplateCategory.ServiceRequests,
        ["sales"] = TemplateCategory.Sales,
        ["onboarding"] = TemplateCategory.Onboarding,
        ["practice-management"] = TemplateCategory.PracticeManagement,
        ["marketing"] = TemplateCategory.Marketing,
    };

    internal static readonly Dictionary<string, TemplateScope> Scopes = new(StringComparer.Ordinal)
    {
        ["household"] = TemplateScope.Household,
        ["firm"] = TemplateScope.Firm,
    };

    private readonly string _yaml;
    private readonly IReadOnlySet<string> _roles;
    private readonly DiagnosticSink _sink;

    public TemplateReader(string yaml, string file, IReadOnlySet<string> roles)
    {
        _yaml = yaml;
        _roles = roles;
        _sink = new DiagnosticSink(file, yaml);
    }

    public TemplateLoadResult Read()
    {
        var root = Parse();
        var template = root is null ? null : ReadTemplate(root);
        var diagnostics = _sink.Diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
        return new TemplateLoadResult(diagnostics.Count == 0 ? template : null, diagnostics);
    }

    private YamlNode? Parse()
    {
        var stream = new YamlStream();
        var guard = new GuardedParser(new Parser(new StringReader(_yaml)));
        try
        {
            stream.Load(guard);
        }
        catch (YamlException e)
        {
            _sink.Report(e.Start, guard.Refused ? e.Message : SyntaxMessage(e));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet rejects some malformed input this way instead of with a YamlException (found by fuzzing).
            _sink.Report(guard.LastEnd, "the YAML cannot be read after here (check indentation, colons, quotes and brackets)");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            _sink.Report(Mark.Empty, "the file is empty; a template starts with key:, name:, category: and steps:");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            _sink.Report(stream.Documents[1].RootNode, "a second template starts here; put each template in its own file");
        }

        return stream.Documents[0].RootNode;
    }

    private static string SyntaxMessage(YamlException e)
    {
        const string duplicate = "Duplicate key ";
        if (e.Message.StartsWith(duplicate, StringComparison.Ordinal))
        {
            return $"the field \"{e.Message[duplicate.Length..]}\" appears twice in the same block; keep one";
        }

        return $"the YAML cannot be read here (check indentation, colons and quotes): {e.Message}";
    }

    private ProcessTemplate? ReadTemplate(YamlNode root)
    {
        var fields = Fields.Read(root, TheTemplate, "a template must be a set of fields such as key:, name:, category: and steps:", TemplateFields, _sink);
        if (fields is null)
        {
            return null;
        }

        var key = Key(fields, "key", TheTemplate, "template key", "new-account-opening");
        var name = Text(fields, "name", TheTemplate, "add the name staff see, e.g. name: New Account Opening");
        var category = Choice(fields, "category", TheTemplate, Categories, "add one of: " + string.Join(", ", Categories.Keys));
        var scope = Choice(fields, "scope", TheTemplate, Scopes, null) ?? TemplateScope.Household;
        var description = Text(fields, "description", TheTemplate, "add a sentence or two on what the process is for")?.TrimEnd();
        var owner = Role(fields, "owner", TheTemplate, "add the role that owns the process, e.g. owner: client-service-associate");
        var anchors = Anchors(fields);
        var triggers = Triggers(fields, scope, key);
        var steps = Steps(fields);
        if (steps.Count > 0)
        {
            TemplateValidator.Validate(anchors, steps, _sink);
        }

        if (_sink.Count > 0 || key is null || name is null || category is null || description is null || owner is null)
        {
            return null;
        }

        return new ProcessTemplate(
            key,
            name,
            category.Value,
            scope,
            description,
            owner,
            anchors.Select(a => a.Name).ToList(),
            triggers,
            steps.Select(s => new StepDefinition(
                s.Key!,
                s.Title,
                s.Instructions,
                s.Role,
                s.Minutes,
                s.Due,
                s.After.Select(a => a.Name).ToList(),
                s.Condition,
                s.Checklist.ToList(),
                s.Skippable)).ToList());
    }

    private List<NamedNode> Anchors(Fields fields)
    {
        var anchors = new List<NamedNode>();
        if (fields.Value("anchors") is not { } node)
        {
            return anchors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var anchor in Names(node, "anchors", TheTemplate))
        {
            if (!IsKey(anchor.Name))
            {
                _sink.Report(anchor.Node, $"anchor \"{anchor.Name}\" must use only lowercase letters, digits and hyphens, e.g. meeting");
            }
            else if (anchor.Name == DueRuleParser.Start)
            {
                _sink.Report(anchor.Node, "\"start\" cannot be an anchor: due rules use it for the day the process starts");
            }
            else if (!seen.Add(anchor.Name))
            {
                _sink.Report(anchor.Node, $"anchor \"{anchor.Name}\" is listed twice");
            }
            else
            {
                anchors.Add(anchor);
            }
        }

        return anchors;
    }

    private List<StepDraft> Steps(Fields fields)
    {
        var steps = new List<StepDraft>();
        var node = fields.Value("steps");
        if (node is null)
        {
            Missing(fields, "steps", TheTemplate, "add the steps of the process under steps:");
            return steps;
        }

        if (node is not YamlSequenceNode list)
        {
            _sink.Report(node, $"\"steps\" must be a list of steps, each starting with \"- key:\", not {Fields.Describe(node)}");
            return steps;
        }

        if (list.Children.Count == 0)
        {
            _sink.Report(node, "\"steps\" is empty; a template needs at least one step");
            return steps;
        }

        foreach (var item in list.Children)
        {
            var step = new StepDraft(steps.Count + 1, item);
            steps.Add(step);
            ReadStep(step);
        }

        return steps;
    }

    private void ReadStep(StepDraft step)
    {
        var peekedKey = step.Node is YamlMappingNode mapping
            && mapping.Children.TryGetValue(new YamlScalarNode("key"), out var keyValue)
            && keyValue is YamlScalarNode { Value: { Length: > 0 } k } ? $"step \"{k}\"" : step.Label;
        var fields = Fields.Read(step.Node, peekedKey, $"{step.Label} must be a set of fields such as key:, title: and role:", StepFields, _sink);
        if (fields is null)
        {
            return;
        }

        step.Key = Key(fields, "key", step.Label, "step key", "collect-forms");
        step.KeyNode = fields.Value("key");
        if (step.Key == DueRuleParser.Start)
        {
            _sink.Report(step.KeyNode!, "\"start\" cannot be a step key: due rules use it for the day the process starts");
            step.Key = null;
        }

        var label = step.Label;
        step.Title = Text(fields, "title", label, "add a short title staff will see on the task, e.g. title: Collect signed forms") ?? "";
        step.Role = Role(fields, "role", label, "add the role that does this step, e.g. role: client-service-associate") ?? "";
        step.Instructions = Text(fields, "instructions", label, null)?.TrimEnd() ?? "";
        step.Minutes = Int(fields, "minutes", label, 1, 4800, DefaultMinutes);
        step.Skippable = Bool(fields, "skippable", label, false);
        if (fields.Value("due") is { } due && Text(fields, "due", label, null) is { } dueText)
        {
            step.DueText = dueText;
            step.DueNode = due;
            step.DueSyntax = DueRuleParser.Parse(dueText, out var error);
            if (error is not null)
            {
                _sink.Report(due, $"{label}: {error}");
            }
        }

        if (fields.Value("after") is { } after)
        {
            step.After.AddRange(Names(after, "after", label));
        }

        if (fields.Value("checklist") is { } checklist)
        {
            step.Checklist.AddRange(Names(checklist, "checklist", label).Select(c => c.Name));
        }

        if (fields.Value("when") is { } when && Text(fields, "when", label, null) is { } condition)
        {
            if (FactCondition.TryParse(condition, out var parsed, out var errors))
            {
                step.Condition = parsed;
            }

            foreach (var error in errors)
            {
                _sink.ReportInScalar((YamlScalarNode)when, error.Offset, $"{label}, condition: {error.Message}");
            }
        }
    }

    private void Missing(Fields fields, string field, string owner, string hint)
    {
        if (fields.Key(field) is { } key)
        {
            _sink.Report(key, $"\"{field}\" in {owner} is empty; {hint}");
        }
        else
        {
            _sink.Report(fields.Node, $"{owner} has no \"{field}\"; {hint}");
        }
    }

    /// <summary>A scalar field as text; null when absent (reported if <paramref name="requiredHint"/> is given) or not text.</summary>
    private string? Text(Fields fields, string field, string owner, string? requiredHint)
    {
        var node = fields.Value(field);
        if (node is null)
        {
            if (requiredHint is not null)
            {
                Missing(fields, field, owner, requiredHint);
            }

            return null;
        }

        if (node is not YamlScalarNode { Value: { } value })
        {
            _sink.Report(node, $"\"{field}\" in {owner} must be text, not {Fields.Describe(node)}");
            return null;
        }

        if (requiredHint is not null && string.IsNullOrWhiteSpace(value))
        {
            Missing(fields, field, owner, requiredHint);
            return null;
        }

        return value;
    }

    private string? Key(Fields fields, string field, string owner, string what, string example, bool required = true)
    {
        var key = Text(fields, field, owner, required ? $"add one such as {field}: {example}" : null);
        if (key is not null && !IsKey(key))
        {
            _sink.Report(fields.Value(field)!, $"{what} \"{key}\" must use only lowercase letters, digits and hyphens, e.g. {example}");
            return null;
        }

        return key;
    }

    private string? Role(Fields fields, string field, string owner, string hint)
    {
        var role = Text(fields, field, owner, hint);
        if (role is not null && !_roles.Contains(role))
        {
            var known = string.Join(", ", _roles.Order(StringComparer.Ordinal));
            _sink.Report(fields.Value(field)!, $"role \"{role}\" is not a role of this firm (known roles: {(known.Length == 0 ? "none yet" : known)}){Spelling.Hint(role, _roles)}");
            return null;
        }

        return role;
    }

    private T? Choice<T>(Fields fields, string field, string owner, Dictionary<string, T> options, string? requiredHint)
        where T : struct
    {
        var text = Text(fields, field, owner, requiredHint);
        if (text is null)
        {
            return null;
        }

        if (options.TryGetValue(text, out var value))
        {
            return value;
        }

        _sink.Report(fields.Value(field)!, $"{field} \"{text}\" is not one of: {string.Join(", ", options.Keys)}{Spelling.Hint(text, options.Keys)}");
        return null;
    }

    private int Int(Fields fields, string field, string owner, int min, int max, int fallback)
    {
        var text = Text(fields, field, owner, null);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _sink.Report(fields.Value(field)!, $"\"{field}\" in {owner} must be a whole number from {min} to {max}, not \"{text}\"");
        return fallback;
    }

    private bool Bool(Fields fields, string field, string owner, bool fallback)
    {
        var text = Text(fields, field, owner, null);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return fallback;
            case "true":
                return true;
            case "false":
                return false;
            default:
                _sink.Report(fields.Value(field)!, $"\"{field}\" in {owner} must be true or false, not \"{text}\"");
                return fallback;
        }
    }

    /// <summary>A list of single values, or one value on its own (<c>after: review</c>).</summary>
    private List<NamedNode> Names(YamlNode node, string field, string owner)
    {
        var names = new List<NamedNode>();
        if (node is YamlScalarNode { Value: { } single })
        {
            names.Add(new NamedNode(single, node));
            return names;
        }

        if (node is not YamlSequenceNode list)
        {
            _sink.Report(node, $"\"{field}\" in {owner} must be a list such as [a, b], not {Fields.Describe(node)}");
            return names;
        }

        foreach (var item in list.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value } && !Fields.IsNull(item))
            {
                names.Add(new NamedNode(value, item));
            }
            else
            {
                _sink.Report(item, $"each entry of \"{field}\" in {owner} must be a single value, not {(Fields.IsNull(item) ? "empty" : Fields.Describe(item))}");
            }
        }

        return names;
    }

    /// <summary>Lowercase letters and digits in words joined by single hyphens: <c>new-account-opening</c>.</summary>
    internal static bool IsKey(string text)
    {
        if (text.Length == 0 || text[0] == '-' || text[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (c == '-' && text[i - 1] != '-')))
            {
                return false;
            }
        }

        return true;
    }
}
