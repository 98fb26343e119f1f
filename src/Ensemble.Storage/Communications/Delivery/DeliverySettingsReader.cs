using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// Reads <see cref="DeliverySettings"/> from named values (<c>smtp-host</c>, <c>send-rate</c>…) — the web app's
/// configuration, or ENSEMBLE_SMTP_HOST-style environment variables for the CLI — and checks them at startup.
/// </summary>
public static class DeliverySettingsReader
{
    /// <summary>The keys understood, for help texts.</summary>
    public static readonly string[] Keys =
        ["smtp-host", "smtp-port", "smtp-tls", "smtp-user", "smtp-password", "mail-from", "send-rate", "send-batch", "send-lease-seconds", "send-max-attempts", "send-first-retry-seconds", "journal-dir"];

    /// <summary>The environment variable for a key: smtp-host → ENSEMBLE_SMTP_HOST.</summary>
    public static string EnvironmentName(string key) => "ENSEMBLE_" + key.Replace('-', '_').ToUpperInvariant();

    /// <summary>Looks each key up in <paramref name="lookup"/>, then in the environment.</summary>
    public static DeliverySettings Read(Func<string, string?> lookup, DatabaseLocation database)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(database);
        string? Value(string key) => lookup(key) is { Length: > 0 } v ? v : Environment.GetEnvironmentVariable(EnvironmentName(key)) is { Length: > 0 } e ? e : null;

        var defaults = DeliverySettings.Defaults(Value("journal-dir") ?? DefaultJournalDirectory(database));
        var host = Value("smtp-host");
        var from = Value("mail-from") ?? DeliverySettings.DefaultFrom;
        if (!MailboxAddress.TryParse(from, out _))
        {
            throw new InvalidOperationException($"mail-from={from} is not an email address (e.g. \"Marsh Wealth <service@marsh.example>\").");
        }

        return defaults with
        {
            SmtpHost = host,
            SmtpPort = Int(Value, "smtp-port", 25, 1, 65_535),
            SmtpUseTls = Bool(Value, "smtp-tls", false),
            SmtpUser = Value("smtp-user"),
            SmtpPassword = Value("smtp-password"),
            FromAddress = from,
            RatePerSecond = Int(Value, "send-rate", 50, 0, 100_000),
            Batch = Int(Value, "send-batch", defaults.Batch, 1, 1_000),
            Lease = Duration.FromSeconds(Int(Value, "send-lease-seconds", (int)defaults.Lease.TotalSeconds, 1, 86_400)),
            MaxAttempts = Int(Value, "send-max-attempts", defaults.MaxAttempts, 1, 100),
            FirstRetry = Duration.FromSeconds(Int(Value, "send-first-retry-seconds", (int)defaults.FirstRetry.TotalSeconds, 1, 86_400)),
        };
    }

    /// <summary>
    /// Next to the SQLite file; for PostgreSQL, a folder per database in the machine's temporary directory (each
    /// machine keeps its own journals; a sender recovers those of dead processes on its machine).
    /// </summary>
    public static string DefaultJournalDirectory(DatabaseLocation database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider == StorageProvider.Sqlite)
        {
            return database + ".outbox-journal";
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database.ToString())).AsSpan(0, 8));
        return Path.Combine(Path.GetTempPath(), "ensemble-outbox-journal", hash);
    }

    private static int Int(Func<string, string?> value, string key, int fallback, int min, int max)
    {
        var text = value(key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InvalidOperationException($"{key}={text} is not a whole number from {min} to {max}.");
    }

    private static bool Bool(Func<string, string?> value, string key, bool fallback) => value(key)?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "yes" or "1" or "on" => true,
        "false" or "no" or "0" or "off" => false,
        var other => throw new InvalidOperationException($"{key}={other} is not true or false."),
    };
}
