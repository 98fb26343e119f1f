namespace Ensemble.Storage.Library;

/// <summary>The workflow library shipped inside the program (library/templates in the repository).</summary>
public static class BuiltInLibrary
{
    public static IReadOnlyList<(string Name, string Yaml)> Texts()
    {
        var assembly = typeof(BuiltInLibrary).Assembly;
        var list = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("library/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add((name, reader.ReadToEnd()));
        }

        return list;
    }
}
