using Ensemble.Advisory;
using Ensemble.Consolidation;

namespace Ensemble.Core.Tests.Advisory;

public sealed class BuiltInFrameworkTests
{
    [Fact]
    public void TheDefaultFramework_Loads_WithAtLeast25Rules_AcrossTheAreasAnAdvisorCovers()
    {
        var result = AdvisoryFramework.Load(BuiltInFramework.Source, BuiltInFramework.FileName, FactCatalog.Default);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var rules = result.Framework!.Rules;
        Assert.True(rules.Count >= 25, $"{rules.Count} rules");
        Assert.Equal(
            ["cash-flow", "data", "estate", "insurance", "investments", "mortgage", "retirement", "service", "tax"],
            rules.Select(r => r.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rules.SelectMany(r => r.Variants), v => Assert.InRange(v.Urgency, 0, 100));
    }
}
