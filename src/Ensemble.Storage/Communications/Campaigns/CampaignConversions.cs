using System.Text.Json;
using Ensemble.Communications.Campaigns;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>How an audience and a send report are stored: small JSON documents with words, readable in the database.</summary>
internal static class CampaignConversions
{
    public static readonly ValueConverter<AudienceFilter, string> Audience = new(a => Write(a), s => ReadAudience(s));

    public static readonly ValueComparer<AudienceFilter> AudienceComparer = new(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.Canonical() == b.Canonical()),
        a => StringComparer.Ordinal.GetHashCode(a.Canonical()),
        a => a);

    public static readonly ValueConverter<CampaignSendReport?, string?> SendReport = new(r => Write(r), s => ReadReport(s));

    public static readonly ValueComparer<CampaignSendReport?> SendReportComparer = new(
        (a, b) => Equals(a, b),
        r => r == null ? 0 : r.GetHashCode(),
        r => r);

    internal static string Write(AudienceFilter audience) => JsonSerializer.Serialize(
        new AudienceDocument(audience.Tiers.Select(t => t.ToString()).ToList(), [.. audience.Tags], [.. audience.AccountTypes], audience.Stages.Select(AudienceFilter.StageKey).ToList()),
        Conversions.JsonOptions);

    internal static AudienceFilter ReadAudience(string json)
    {
        var document = JsonSerializer.Deserialize<AudienceDocument>(json, Conversions.JsonOptions);
        return document is null
            ? AudienceFilter.Empty
            : new AudienceFilter(
                (document.Tiers ?? []).Select(AudienceFilter.ParseTier).OfType<ServiceTier>(),
                document.Tags,
                document.AccountTypes,
                (document.Stages ?? []).Select(AudienceFilter.ParseStage).OfType<LifecycleStage>());
    }

    internal static string? Write(CampaignSendReport? report) => report is null ? null : JsonSerializer.Serialize(report with { }, ReportOptions);

    internal static CampaignSendReport? ReadReport(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<CampaignSendReport>(json, ReportOptions);

    private static readonly JsonSerializerOptions ReportOptions = new(JsonSerializerDefaults.Web) { Converters = { new InstantText() } };

    private sealed record AudienceDocument(List<string>? Tiers, List<string>? Tags, List<string>? AccountTypes, List<string>? Stages);

    private sealed class InstantText : System.Text.Json.Serialization.JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            InstantPattern.ExtendedIso.Parse(reader.GetString() ?? "").GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
            writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
    }
}
