using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Tests.Testing;

namespace Ensemble.Storage.Tests.Consolidation;

/// <summary>Writes source files for a test and registers the demo's three sources.</summary>
internal static class SourceFiles
{
    public static string Write(string name, string content)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ensemble-tests", "sources", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public static async Task RegisterAsync(FirmBuilder firm, params string[] keys)
    {
        var registry = new SourceRegistry(firm.Db, firm.Clock);
        foreach (var key in keys.Length == 0 ? ["crm", "planning", "custodian"] : keys)
        {
            Assert.True((await registry.AddAsync(key, key.ToUpperInvariant(), "erin")).IsSuccess);
        }
    }

    public static async Task<SourceImportReport> ImportAsync(FirmBuilder firm, string source, string name, string content)
    {
        var result = await new SourceIntake(firm.Db, firm.Clock).ImportFileAsync(source, Write(name, content), "erin");
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }
}
