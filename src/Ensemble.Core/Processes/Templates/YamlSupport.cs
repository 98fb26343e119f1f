using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Ensemble.Processes.Templates;

/// <summary>A name read from YAML together with the node it came from, so problems can point at it.</summary>
internal readonly record struct NamedNode(string Name, YamlNode Node);

/// <summary>
/// Stops hostile or accidental YAML before the representation model builds it: aliases (which can make
/// cyclic or exponentially large documents) and deep nesting (which the model builds recursively).
/// Templates need neither. Problems surface as <see cref="YamlException"/>s, like syntax errors.
/// </summary>
internal sealed class GuardedParser(IParser inner) : IParser
{
    internal const int MaxDepth = 64;

    private int _depth;

    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the last event read ended: the best position for errors YamlDotNet reports without one.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    /// <summary>True once this guard (not YamlDotNet) stopped the parse; its message is already plain English.</summary>
    public bool Refused { get; private set; }

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        LastEnd = inner.Current!.End;

        switch (inner.Current)
        {
            case AnchorAlias alias:
                Refused = true;
                throw new YamlException(alias.Start, alias.End,
                    $"YAML aliases (*{alias.Value}) are not supported in templates; write the value out in full");
            case MappingStart or SequenceStart when ++_depth > MaxDepth:
                Refused = true;
                throw new YamlException(inner.Current.Start, inner.Current.End,
                    $"the YAML nests more than {MaxDepth} levels deep; a template needs only a few");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}

/// <summary>Collects diagnostics for one file and turns YAML positions into 1-based line and column.</summary>
internal sealed class DiagnosticSink(string file, string source)
{
    private string[]? _lines;

    public List<TemplateDiagnostic> Diagnostics { get; } = [];

    public int Count => Diagnostics.Count;

    public void Report(YamlNode node, string message) => Report(node.Start, message);

    public void Report(Mark mark, string message) =>
        Diagnostics.Add(new TemplateDiagnostic(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), message));

    /// <summary>
    /// Reports an error at a 0-based offset inside a scalar's value. Exact for single-line plain and quoted
    /// scalars (escapes such as <c>''</c> are walked in the source); block and multi-line scalars point at the node.
    /// </summary>
    public void ReportInScalar(YamlScalarNode node, int offset, string message)
    {
        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        if (node.Start.Line == node.End.Line && line >= 1)
        {
            switch (node.Style)
            {
                case ScalarStyle.Plain:
                    column += offset;
                    break;
                case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                    column = QuotedColumn(SourceLine(line), column, offset, node.Style == ScalarStyle.SingleQuoted);
                    break;
            }
        }

        Diagnostics.Add(new TemplateDiagnostic(file, Math.Max(1, line), Math.Max(1, column), message));
    }

    private static int QuotedColumn(string line, int quoteColumn, int offset, bool single)
    {
        var i = quoteColumn; // 0-based index of the first character after the opening quote
        for (var decoded = 0; decoded < offset && i < line.Length; decoded++)
        {
            if (single)
            {
                i += line[i] == '\'' && i + 1 < line.Length && line[i + 1] == '\'' ? 2 : 1;
            }
            else if (line[i] == '\\' && i + 1 < line.Length)
            {
                i += line[i + 1] switch { 'x' => 4, 'u' => 6, 'U' => 10, _ => 2 };
            }
            else
            {
                i++;
            }
        }

        return i + 1;
    }

    private string SourceLine(int line)
    {
        _lines ??= source.Split('\n');
        return line <= _lines.Length ? _lines[line - 1].TrimEnd('\r') : "";
    }
}

/// <summary>The fields of one YAML mapping by name, read once with unknown names reported.</summary>
internal sealed class Fields
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _fields = new(StringComparer.Ordinal);

    private Fields(YamlMappingNode node) => Node = node;

    public YamlMappingNode Node { get; }

    /// <summary>Reads <paramref name="node"/>'s fields; null (and a diagnostic) when it is not a mapping.</summary>
    public static Fields? Read(YamlNode node, string what, string notMapping, IReadOnlyCollection<string> known, DiagnosticSink sink)
    {
        if (node is not YamlMappingNode mapping)
        {
            sink.Report(node, notMapping);
            return null;
        }

        var fields = new Fields(mapping);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } key)
            {
                sink.Report(keyNode, $"field names in {what} must be single words such as {known.First()}");
                continue;
            }

            if (!known.Contains(name))
            {
                var hint = Spelling.Nearest(name, known) is { } near ? $"; did you mean \"{near}\"?" : $" (fields: {string.Join(", ", known)})";
                sink.Report(key, $"unknown field \"{name}\" in {what}{hint}");
                continue;
            }

            fields._fields[name] = (key, value);
        }

        return fields;
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    /// <summary>The value of a field that is present and not null (<c>~</c>, <c>null</c> or empty).</summary>
    public YamlNode? Value(string name) =>
        _fields.TryGetValue(name, out var field) && !IsNull(field.Value) ? field.Value : null;

    public YamlScalarNode? Key(string name) => _fields.TryGetValue(name, out var field) ? field.Key : null;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a set of fields",
        _ => "a value",
    };
}
