using System.Text;
using System.Text.Json;
using Ensemble.Consolidation;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// The firm's consolidation settings as a JSON document it can edit:
/// <c>{"facts": {"income": {"precedence": ["planning", "crm"], "maxAgeMonths": 12}, "cash": {"mostRecentlyVerifiedWins": true}}}</c>.
/// A fact left out keeps the catalog's default; so does a setting left out of a fact. Every problem is
/// reported with its line, column and path.
/// </summary>
public static class ConsolidationSettingsStore
{
    public static async Task<ConsolidationSettings> GetAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var row = await db.ConsolidationSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return ConsolidationSettings.Default;
        }

        // The stored document was checked when saved; sources are never removed, so any source it names still counts.
        var (settings, _) = Read(Encoding.UTF8.GetBytes(row.Document), "stored settings", null);
        return settings ?? ConsolidationSettings.Default;
    }

    /// <summary>Saves the firm's own rules in one audited change; the caller's actor and operation are recorded. Returns false when nothing changed.</summary>
    public static async Task<bool> SaveAsync(EnsembleDb db, ConsolidationSettings settings, CancellationToken cancellationToken = default)
    {
        var document = Serialize(settings, firmRulesOnly: true);
        var row = await db.ConsolidationSettings.FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            db.ConsolidationSettings.Add(new ConsolidationSettingsRow { Document = document });
        }
        else if (row.Document != document)
        {
            row.Document = document;
            row.Version++;
        }
        else
        {
            return false;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>The rules in force for every sourced fact, or only those the firm set itself.</summary>
    public static string Serialize(ConsolidationSettings settings, bool firmRulesOnly = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("facts");
            foreach (var rule in firmRulesOnly ? settings.Rules.Where(r => settings.FirmRules.ContainsKey(r.Fact)) : settings.Rules)
            {
                json.WriteStartObject(rule.Fact);
                if (rule.MostRecentlyVerifiedWins)
                {
                    json.WriteBoolean("mostRecentlyVerifiedWins", true);
                }
                else
                {
                    json.WriteStartArray("precedence");
                    foreach (var source in rule.Precedence)
                    {
                        json.WriteStringValue(source);
                    }

                    json.WriteEndArray();
                }

                if (rule.MaxAgeMonths is { } months)
                {
                    json.WriteNumber("maxAgeMonths", months);
                }
                else
                {
                    json.WriteNull("maxAgeMonths");
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Reads a settings document. <paramref name="knownSources"/> are the sources a precedence may name (the
    /// registered ones and those the catalog's defaults name); null skips that check.
    /// </summary>
    public static (ConsolidationSettings? Settings, IReadOnlyList<SettingsProblem> Problems) Read(ReadOnlySpan<byte> content, string file, IReadOnlySet<string>? knownSources, FactCatalog? catalog = null)
    {
        catalog ??= FactCatalog.Default;
        var problems = new List<SettingsProblem>();
        content = JsonPlaces.WithoutBom(content);
        var places = new JsonPlaces(content);
        var json = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var rules = new Dictionary<string, FactRule>(StringComparer.Ordinal);
        void Problem(long offset, string path, string message)
        {
            var (line, column) = places.Locate(offset);
            problems.Add(new SettingsProblem(file, line, column, path, message));
        }

        try
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                Problem(json.TokenStartIndex, "", "expected an object: {\"facts\": {…}}");
                return (null, problems);
            }

            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var name = json.GetString();
                var at = json.TokenStartIndex;
                json.Read();
                if (name != "facts")
                {
                    Problem(at, name ?? "", "unknown setting; the document has one: facts");
                    json.Skip();
                    continue;
                }

                if (json.TokenType != JsonTokenType.StartObject)
                {
                    Problem(json.TokenStartIndex, "facts", "expected an object with one entry per fact, e.g. {\"income\": {\"precedence\": [\"planning\", \"crm\"], \"maxAgeMonths\": 12}}");
                    json.Skip();
                    continue;
                }

                while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
                {
                    var key = json.GetString()!;
                    var keyAt = json.TokenStartIndex;
                    json.Read();
                    var path = $"facts.{key}";
                    if (!catalog.TryGet(key, out var fact))
                    {
                        Problem(keyAt, path, $"unknown fact; the facts a source sends are: {string.Join(", ", catalog.Sourced.Select(f => f.Key))}");
                        json.Skip();
                        continue;
                    }

                    if (fact.Derived)
                    {
                        Problem(keyAt, path, "is worked out by Ensemble from what it holds, so no source or precedence applies");
                        json.Skip();
                        continue;
                    }

                    var rule = ReadRule(ref json, fact, path, knownSources, Problem);
                    if (rule is not null && !rules.TryAdd(key, rule))
                    {
                        Problem(keyAt, path, "appears twice");
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            problems.Add(new SettingsProblem(file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, "", JsonPlaces.FirstSentence(ex.Message)));
        }

        return problems.Count > 0 ? (null, problems) : (new ConsolidationSettings(catalog, rules.Values), problems);
    }

    private static FactRule? ReadRule(ref Utf8JsonReader json, FactDefinition fact, string path, IReadOnlySet<string>? knownSources, Action<long, string, string> problem)
    {
        if (json.TokenType != JsonTokenType.StartObject)
        {
            problem(json.TokenStartIndex, path, "expected an object with precedence (or mostRecentlyVerifiedWins) and maxAgeMonths");
            json.Skip();
            return null;
        }

        var start = json.TokenStartIndex;
        List<string>? precedence = null;
        var mostRecent = false;
        var maxAge = fact.MaxAgeMonths;
        var ok = true;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var name = json.GetString()!;
            var nameAt = json.TokenStartIndex;
            json.Read();
            switch (name)
            {
                case "precedence":
                    precedence = ReadPrecedence(ref json, $"{path}.precedence", knownSources, problem, ref ok);
                    break;
                case "mostRecentlyVerifiedWins":
                    if (json.TokenType is JsonTokenType.True or JsonTokenType.False)
                    {
                        mostRecent = json.TokenType == JsonTokenType.True;
                    }
                    else
                    {
                        problem(json.TokenStartIndex, $"{path}.mostRecentlyVerifiedWins", "expected true or false");
                        json.Skip();
                        ok = false;
                    }

                    break;
                case "maxAgeMonths":
                    if (json.TokenType == JsonTokenType.Null)
                    {
                        maxAge = null;
                    }
                    else if (json.TokenType == JsonTokenType.Number && json.TryGetInt32(out var months) && months is >= 1 and <= FactRule.LongestMaxAge)
                    {
                        maxAge = months;
                    }
                    else
                    {
                        problem(json.TokenStartIndex, $"{path}.maxAgeMonths", $"expected whole months from 1 to {FactRule.LongestMaxAge}, or null for a fact that never ages");
                        json.Skip();
                        ok = false;
                    }

                    break;
                default:
                    problem(nameAt, $"{path}.{name}", "unknown setting; a fact has precedence, mostRecentlyVerifiedWins and maxAgeMonths");
                    json.Skip();
                    ok = false;
                    break;
            }
        }

        if (mostRecent && precedence is { Count: > 0 })
        {
            problem(start, path, "give a precedence or \"mostRecentlyVerifiedWins\": true, not both");
            return null;
        }

        return ok ? new FactRule(fact.Key, mostRecent ? [] : precedence ?? fact.Precedence, maxAge) : null;
    }

    private static List<string>? ReadPrecedence(ref Utf8JsonReader json, string path, IReadOnlySet<string>? knownSources, Action<long, string, string> problem, ref bool ok)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            problem(json.TokenStartIndex, path, "expected a list of source keys, most trusted first, e.g. [\"custodian\", \"planning\"]");
            json.Skip();
            ok = false;
            return null;
        }

        var list = new List<string>();
        var index = 0;
        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            var at = $"{path}[{index++}]";
            if (json.TokenType != JsonTokenType.String)
            {
                problem(json.TokenStartIndex, at, "expected a source key as a string");
                json.Skip();
                ok = false;
                continue;
            }

            var source = json.GetString()!.Trim().ToLowerInvariant();
            if (knownSources is not null && !knownSources.Contains(source))
            {
                problem(json.TokenStartIndex, at, $"\"{source}\" is not a source; the sources are {string.Join(", ", knownSources.Order(StringComparer.Ordinal))} (register others with `ensemble sources add`)");
                ok = false;
            }
            else if (list.Contains(source))
            {
                problem(json.TokenStartIndex, at, $"\"{source}\" is listed twice");
                ok = false;
            }
            else
            {
                list.Add(source);
            }
        }

        return list;
    }
}
