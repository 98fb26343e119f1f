using System.Runtime.CompilerServices;
using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

/// <summary>Keeps docs/templates.md honest: its complete example must load.</summary>
public sealed class TemplateDocsTests
{
    [Fact]
    public void DocsExample_Loads()
    {
        var docs = System.IO.File.ReadAllText(DocsPath());
        var section = docs[docs.IndexOf("## A complete example", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var template = Loaded(yaml);

        Assert.Equal("new-account-opening", template.Key);
        Assert.Equal(new RelativeToAnchor("meeting", 0, false, "on meeting"), template.Steps[2].Due);
    }

    private static string DocsPath([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../../../docs/templates.md"));
}
