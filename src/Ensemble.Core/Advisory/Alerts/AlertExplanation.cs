using System.Buffers;
using System.Text;
using System.Text.Json;
using Ensemble.Consolidation;

namespace Ensemble.Advisory.Alerts;

/// <summary>One value behind an alert as shown: the fact's label (or the named value's name) and the value as people read it.</summary>
public sealed record AlertValue(string Name, string Label, string Value);

/// <summary>
/// The values that made an alert fire, stored with it as a small JSON object (name → value as people read it,
/// in the rule's order), so the alert explains itself later even after the facts have moved on.
/// </summary>
public static class AlertExplanation
{
    public static string ToJson(RuleExplanation explanation)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var value in explanation.Values)
            {
                json.WriteString(value.Name, value.Value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a stored explanation back, labelling facts from the catalog; an unreadable one gives no values.</summary>
    public static IReadOnlyList<AlertValue> Read(string? json, FactCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return document.RootElement.EnumerateObject()
                .Select(p => new AlertValue(p.Name, catalog.TryGet(p.Name, out var fact) ? fact.Label : p.Name.Replace('_', ' '), p.Value.ToString()))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
