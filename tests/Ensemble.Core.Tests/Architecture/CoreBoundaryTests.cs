using System.Reflection;
using Ensemble.Practice;
using NetArchTest.Rules;

namespace Ensemble.Tests.Architecture;

public sealed class CoreBoundaryTests
{
    private static readonly Assembly Core = typeof(Firm).Assembly;

    [Fact]
    public void Core_ReferencesNeitherEntityFrameworkNorAspNet()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql", "Microsoft.Data.Sqlite").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Aggregates_ExposeNoPublicSetters()
    {
        var aggregates = new[]
        {
            typeof(Firm), typeof(Staff), typeof(TeamAssignment), typeof(Role), typeof(global::Ensemble.Households.Household),
            typeof(global::Ensemble.Processes.Running.ProcessInstance), typeof(global::Ensemble.Processes.Running.WorkTask), typeof(global::Ensemble.Processes.Templates.TemplateVersion),
        };

        var settable = aggregates
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.SetMethod is { IsPublic: true })
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToList();

        Assert.Empty(settable);
    }

    [Fact]
    public void Core_NeverReadsTheWallClock()
    {
        // BannedApiAnalyzers stops DateTime.Now at compile time; this guards against the analyzer being switched off.
        var banned = Types.InAssembly(Core).ShouldNot().HaveDependencyOn("NodaTime.SystemClock").GetResult();
        Assert.True(banned.IsSuccessful, string.Join(", ", banned.FailingTypeNames ?? []));
    }
}
