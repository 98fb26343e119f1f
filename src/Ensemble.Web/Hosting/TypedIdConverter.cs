using System.Text.Json;
using System.Text.Json.Serialization;
using Ensemble.Common;

namespace Ensemble.Web.Hosting;

/// <summary>Typed ids travel as plain numbers in JSON, as API clients expect.</summary>
internal sealed class TypedIdConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(StaffId) || typeToConvert == typeof(HouseholdId) || typeToConvert == typeof(TemplateVersionId)
        || typeToConvert == typeof(InstanceId) || typeToConvert == typeof(TaskId);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) => typeToConvert switch
    {
        _ when typeToConvert == typeof(StaffId) => new Id<StaffId>(v => new StaffId(v), id => id.Value),
        _ when typeToConvert == typeof(HouseholdId) => new Id<HouseholdId>(v => new HouseholdId(v), id => id.Value),
        _ when typeToConvert == typeof(TemplateVersionId) => new Id<TemplateVersionId>(v => new TemplateVersionId(v), id => id.Value),
        _ when typeToConvert == typeof(InstanceId) => new Id<InstanceId>(v => new InstanceId(v), id => id.Value),
        _ => new Id<TaskId>(v => new TaskId(v), id => id.Value),
    };

    private sealed class Id<T>(Func<long, T> create, Func<T, long> value) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => create(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, T id, JsonSerializerOptions options) => writer.WriteNumberValue(value(id));
    }
}
