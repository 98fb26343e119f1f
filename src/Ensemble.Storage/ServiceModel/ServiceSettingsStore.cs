using System.Text.Json;
using System.Text.Json.Serialization;
using Ensemble.Common;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Ensemble.Storage.ServiceModel;

/// <summary>
/// Reads and saves the firm's service settings. A firm that never edited them runs on
/// <see cref="ServiceSettings.Default"/>; a saved document is validated as a whole first.
/// </summary>
public static class ServiceSettingsStore
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static async Task<ServiceSettings> GetAsync(EnsembleDb db, CancellationToken cancellationToken = default)
    {
        var row = await db.ServiceSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return row is null ? ServiceSettings.Default : Parse(row.Document);
    }

    /// <summary>Validates and saves the settings in one audited change; the caller's actor and operation are recorded.</summary>
    public static async Task<Result<ServiceSettings>> SaveAsync(EnsembleDb db, ServiceSettings settings, CancellationToken cancellationToken = default)
    {
        var valid = ServiceSettingsRules.Validate(settings);
        if (!valid.IsSuccess)
        {
            return valid;
        }

        var document = JsonSerializer.Serialize(settings, Json);
        var row = await db.ServiceSettings.FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            db.ServiceSettings.Add(new ServiceSettingsRow { Document = document });
        }
        else if (row.Document != document)
        {
            row.Document = document;
            row.Version++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return settings;
    }

    public static ServiceSettings Parse(string document) =>
        JsonSerializer.Deserialize<ServiceSettings>(document, Json) ?? throw new InvalidDataException("The stored service settings are empty.");

    /// <summary>
    /// Reads a firm-edited settings document. A syntax error or a missing or mistyped field is reported
    /// at file:line:column with its JSON path; a readable document is then checked as a whole.
    /// </summary>
    public static Result<ServiceSettings> Read(string text, string file)
    {
        ServiceSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<ServiceSettings>(text, Json);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"{file}:{line + 1}:{(ex.BytePositionInLine ?? 0) + 1}" : file;
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at {ex.Path}";
            return Error.Invalid($"{where}: {FirstSentence(ex.Message)}{path}");
        }

        if (settings is null)
        {
            return Error.Invalid($"{file}: the document is empty.");
        }

        var valid = ServiceSettingsRules.Validate(settings);
        return valid.IsSuccess ? valid : Error.Invalid($"{file}: {valid.Error!.Message}");
    }

    public static string Serialize(ServiceSettings settings) => JsonSerializer.Serialize(settings, Json);

    // System.Text.Json's messages end with a sentence about the path and position, which Read gives itself.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        };
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
