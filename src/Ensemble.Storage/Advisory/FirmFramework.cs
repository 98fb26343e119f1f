using Ensemble.Advisory;
using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// The firm's advisory settings as stored: its framework's text (null while it runs the built-in one) and the
/// alert types it moved on the canvas (type key → place; the others sit where their variant says).
/// </summary>
public sealed record AdvisorySettings(string? Framework, IReadOnlyDictionary<string, CanvasPosition> Canvas)
{
    public static AdvisorySettings Default { get; } = new(null, new Dictionary<string, CanvasPosition>(StringComparer.Ordinal));
}

/// <summary>
/// The framework in force for the firm, compiled, with its alert types ranked on the canvas. Compiled once per
/// settings document and shared (see <see cref="AdvisorySettingsStore"/>), so requests and runs never compile.
/// </summary>
public sealed class FirmFramework
{
    private readonly Dictionary<string, AlertType> typesByKey;
    private readonly Dictionary<string, int> ruleIndex;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ruleBySpan;
    private readonly Dictionary<string, (int Rule, int Variant)>.AlternateLookup<ReadOnlySpan<char>> typeBySpan;

    internal FirmFramework(AdvisoryFramework framework, bool builtIn, int version, AdvisorySettings settings, IReadOnlyList<RuleDiagnostic> problems)
    {
        Framework = framework;
        BuiltIn = builtIn;
        Version = version;
        Settings = settings;
        Problems = problems;
        Types = AlertCanvas.Types(framework, settings.Canvas);
        typesByKey = Types.ToDictionary(t => t.Key, StringComparer.Ordinal);
        ruleIndex = framework.Rules.Select((r, i) => (r.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        ruleBySpan = ruleIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        typeBySpan = framework.Rules
            .SelectMany((r, i) => r.Variants.Select((_, v) => (Key: r.TypeKey(v), Rule: i, Variant: v)))
            .ToDictionary(t => t.Key, t => (t.Rule, t.Variant), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public AdvisoryFramework Framework { get; }

    /// <summary>True while the firm runs the framework Ensemble ships (it never set its own, or its own no longer loads).</summary>
    public bool BuiltIn { get; }

    /// <summary>The settings version (0 when never saved); recorded with each run.</summary>
    public int Version { get; }

    public AdvisorySettings Settings { get; }

    /// <summary>Why the firm's own framework could not be used (the built-in one runs instead); empty when all is well.</summary>
    public IReadOnlyList<RuleDiagnostic> Problems { get; }

    /// <summary>Every alert type, most urgent then most advice-sensitive first.</summary>
    public IReadOnlyList<AlertType> Types { get; }

    public string Source => Framework.Source;

    public AlertType? Type(string key) => typesByKey.GetValueOrDefault(key);

    /// <summary>The rule's index in the framework, or -1 when the framework has no such rule.</summary>
    public int RuleIndex(string ruleKey) => ruleIndex.GetValueOrDefault(ruleKey, -1);

    /// <summary>As <see cref="RuleIndex(string)"/>, for a key read into a buffer (no string is made).</summary>
    internal int RuleIndex(ReadOnlySpan<char> ruleKey) => ruleBySpan.TryGetValue(ruleKey, out var index) ? index : -1;

    /// <summary>The rule and variant an alert type key names, or (-1, -1) when the framework has no such type.</summary>
    internal (int Rule, int Variant) TypeIndex(ReadOnlySpan<char> typeKey) => typeBySpan.TryGetValue(typeKey, out var type) ? type : (-1, -1);

    /// <summary>The variant's index in the rule at <paramref name="rule"/>, or -1.</summary>
    internal int VariantIndex(int rule, ReadOnlySpan<char> variantKey)
    {
        var variants = Framework.Rules[rule].Variants;
        for (var v = 0; v < variants.Count; v++)
        {
            if (variantKey.SequenceEqual(variants[v].Key))
            {
                return v;
            }
        }

        return -1;
    }

    public AdvisoryRule? Rule(string ruleKey) => RuleIndex(ruleKey) is var i and >= 0 ? Framework.Rules[i] : null;

    /// <summary>The variant's index in its rule, or -1.</summary>
    public static int VariantIndex(AdvisoryRule rule, string variantKey)
    {
        for (var v = 0; v < rule.Variants.Count; v++)
        {
            if (rule.Variants[v].Key == variantKey)
            {
                return v;
            }
        }

        return -1;
    }

    public IReadOnlyList<string> Categories => Framework.Rules.Select(r => r.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
