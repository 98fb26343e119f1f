using Ensemble.Common;
using Ensemble.Households;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Cli.Commands;

/// <summary>Turns command-line text into domain values, with messages that say what was expected.</summary>
internal static class Parsing
{
    public static Result<LocalDate> Date(string text, string what)
    {
        var parsed = LocalDatePattern.Iso.Parse(text.Trim());
        return parsed.Success ? parsed.Value : Error.Invalid($"{what} \"{text}\" is not a date; write it as yyyy-MM-dd, e.g. 2026-12-03.");
    }

    public static Result<LifecycleStage> Stage(string text) => text.Trim().ToLowerInvariant() switch
    {
        "prospect" => LifecycleStage.Prospect,
        "client" => LifecycleStage.Client,
        "former-client" or "former" => LifecycleStage.FormerClient,
        _ => Error.Invalid($"\"{text}\" is not a lifecycle stage; use prospect, client or former-client."),
    };

    /// <summary>Parses name=yyyy-MM-dd pairs such as meeting=2026-12-03.</summary>
    public static Result<Dictionary<string, LocalDate>> Anchors(IEnumerable<string> pairs)
    {
        var anchors = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Trim().Length == 0)
            {
                return Error.Invalid($"--anchor \"{pair}\" should look like meeting=2026-12-03.");
            }

            var date = Date(parts[1], $"The date for {parts[0].Trim()}");
            if (!date.IsSuccess)
            {
                return date.Error!;
            }

            anchors[parts[0].Trim()] = date.Value;
        }

        return anchors;
    }

    public static Result<TaskId> Task(string text) =>
        long.TryParse(text.Trim().TrimStart('#'), out var id) && id > 0 ? new TaskId(id) : Error.Invalid($"\"{text}\" is not a task number.");

    public static List<string> List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
