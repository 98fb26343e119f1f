using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>
/// How the outbox sends: the mail server, the sender address, the pace and the retries. Read from configuration
/// (never from the database: the mail server's password is a secret of the deployment, not firm data).
/// </summary>
/// <param name="SmtpHost">The mail server; null means email is not configured and email messages wait in the outbox.</param>
/// <param name="SmtpPort">Its port (25, 587, or the test server's).</param>
/// <param name="SmtpUseTls">STARTTLS when the server offers it (on by default for anything but loopback).</param>
/// <param name="SmtpUser">The account to sign in with, if the server wants one.</param>
/// <param name="SmtpPassword">Its password, from the environment or a secret store.</param>
/// <param name="FromAddress">The firm's sending address, e.g. "Marsh Wealth Partners &lt;service@marsh.example&gt;".</param>
/// <param name="RatePerSecond">At most this many messages a second from one node; 0 means as fast as the server takes them.</param>
/// <param name="Batch">How many messages a node claims at a time.</param>
/// <param name="Lease">How long a claim holds before another node may take the messages over.</param>
/// <param name="MaxAttempts">Temporary failures are retried up to this many attempts, then the message fails.</param>
/// <param name="FirstRetry">The wait after the first temporary failure; it doubles each time, up to <paramref name="LongestRetry"/>.</param>
/// <param name="LongestRetry">The longest wait between attempts.</param>
/// <param name="JournalDirectory">Where the send journals live (see <see cref="SendJournal"/>): local disk of this machine.</param>
public sealed record DeliverySettings(
    string? SmtpHost,
    int SmtpPort,
    bool SmtpUseTls,
    string? SmtpUser,
    string? SmtpPassword,
    string FromAddress,
    double RatePerSecond,
    int Batch,
    Duration Lease,
    int MaxAttempts,
    Duration FirstRetry,
    Duration LongestRetry,
    string JournalDirectory)
{
    public const string DefaultFrom = "Client Service <service@ensemble.local>";

    /// <summary>Settings for a given journal directory with everything else at its default (email off).</summary>
    public static DeliverySettings Defaults(string journalDirectory) => new(
        SmtpHost: null,
        SmtpPort: 25,
        SmtpUseTls: false,
        SmtpUser: null,
        SmtpPassword: null,
        FromAddress: DefaultFrom,
        RatePerSecond: 50,
        Batch: 50,
        Lease: Duration.FromMinutes(2),
        MaxAttempts: 8,
        FirstRetry: Duration.FromMinutes(1),
        LongestRetry: Duration.FromHours(6),
        JournalDirectory: journalDirectory);

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1 after a temporary failure.</summary>
    public Duration RetryAfter(int attempts)
    {
        var ticks = FirstRetry.BclCompatibleTicks << Math.Clamp(attempts - 1, 0, 20);
        return ticks <= 0 || ticks > LongestRetry.BclCompatibleTicks ? LongestRetry : Duration.FromTicks(ticks);
    }
}
