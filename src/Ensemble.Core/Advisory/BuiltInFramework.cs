using Ensemble.Consolidation;

namespace Ensemble.Advisory;

/// <summary>The advisory framework Ensemble ships with: the starting point a firm edits.</summary>
public static class BuiltInFramework
{
    public const string FileName = "framework.rules";

    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(BuiltInFramework).Assembly.GetManifestResourceStream("advisory/framework.rules")
            ?? throw new InvalidOperationException("The built-in advisory framework is missing from the program.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<AdvisoryFramework> Compiled = new(() =>
    {
        var result = AdvisoryFramework.Load(Source, FileName, FactCatalog.Default);
        return result.Framework ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
    });

    public static string Source => Text.Value;

    /// <summary>The built-in framework compiled against the default catalog (compiled once per process).</summary>
    public static AdvisoryFramework Framework => Compiled.Value;
}
