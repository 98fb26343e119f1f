using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ensemble.Advisory.FollowUp;

/// <summary>
/// Writes playbooks in words, keyed by quadrant (<c>{"urgent-service": {"channels": ["email", "letter"], "action":
/// "self-service", "callerRole": "client-service-associate"}}</c>), so the stored document reads like the settings page.
/// Reading starts from <see cref="Playbook.Defaults"/>: a document written before playbooks were editable, or one that
/// leaves a quadrant out, gets the default for what it does not say.
/// </summary>
public sealed class PlaybooksJson : JsonConverter<IReadOnlyList<Playbook>>
{
    // Fixed options so the stored words do not depend on the caller's naming policy.
    private static readonly JsonSerializerOptions Words = new(JsonSerializerDefaults.Web);

    public override bool HandleNull => true;

    public override IReadOnlyList<Playbook> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Playbook.Defaults;
        }

        var written = JsonSerializer.Deserialize<Dictionary<string, PlaybookWords?>>(ref reader, Words);
        var (playbooks, problems) = PlaybookWords.Apply(Playbook.Defaults, written);
        return problems.Count == 0 ? playbooks : throw new JsonException(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")));
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Playbook> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, PlaybookWords.Describe(value), Words);
}
