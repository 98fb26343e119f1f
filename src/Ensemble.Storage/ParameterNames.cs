using System.Globalization;

namespace Ensemble.Storage;

/// <summary>
/// Parameter names for statements whose text is built once and kept: "@p3_7" is the eighth value of the fourth row
/// (or statement). Made once, so a hot write does not format a name per value.
/// </summary>
internal static class ParameterNames
{
    public static string[][] Grid(string prefix, int rows, int columns) => [.. Enumerable.Range(0, rows).Select(row =>
        Enumerable.Range(0, columns).Select(column => string.Create(CultureInfo.InvariantCulture, $"@{prefix}{row}_{column}")).ToArray())];
}
