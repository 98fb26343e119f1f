using System.Text.RegularExpressions;
using Ensemble.Common;
using NodaTime;

namespace Ensemble.Consolidation;

/// <summary>
/// A system the firm takes household facts from (its CRM, planning tool, custodian feed). Every value
/// Ensemble holds names the source it came from, so the firm can say per fact which source it trusts.
/// </summary>
public sealed partial class DataSource
{
    private DataSource()
    {
        Key = "";
        Name = "";
    }

    private DataSource(string key, string name, Instant addedAt)
    {
        Key = key;
        Name = name;
        AddedAt = addedAt;
    }

    /// <summary>Short lower-case key files and settings use, e.g. <c>crm</c>.</summary>
    public string Key { get; private set; }

    /// <summary>The system as people know it, e.g. "Redtail CRM".</summary>
    public string Name { get; private set; }

    public Instant AddedAt { get; private set; }

    /// <summary>Checks a new source's key and name; the key is what files and settings name, so it is kept short and plain.</summary>
    public static Result<DataSource> Create(string? key, string? name, Instant addedAt)
    {
        var checkedKey = CheckKey(key);
        if (!checkedKey.IsSuccess)
        {
            return checkedKey.Error!;
        }

        var trimmed = string.IsNullOrWhiteSpace(name) ? checkedKey.Value : name.Trim();
        return trimmed.Length > 200
            ? Error.Invalid("name: at most 200 characters.")
            : new DataSource(checkedKey.Value, trimmed, addedAt);
    }

    public static Result<string> CheckKey(string? key)
    {
        var trimmed = key?.Trim().ToLowerInvariant() ?? "";
        if (Reserved.Contains(trimmed))
        {
            return Error.Invalid($"key: \"{trimmed}\" names a page of the sources API; choose another key.");
        }

        return KeyPattern().IsMatch(trimmed)
            ? trimmed
            : Error.Invalid($"key: \"{key}\" is not a source key; use 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter (e.g. crm).");
    }

    // /api/sources/settings and its siblings would hide a source of the same name.
    private static readonly HashSet<string> Reserved = ["settings", "freshness", "refresh-work"];

    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    private static partial Regex KeyPattern();
}
