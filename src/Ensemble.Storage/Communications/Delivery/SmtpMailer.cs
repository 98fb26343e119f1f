using System.Net.Security;
using System.Net.Sockets;
using Ensemble.Communications;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NodaTime;

namespace Ensemble.Storage.Communications.Delivery;

/// <summary>What became of one email handed to the mail server.</summary>
internal enum MailOutcome
{
    /// <summary>The server accepted it.</summary>
    Accepted,

    /// <summary>The last byte went out but the answer never came: treated as sent, never sent twice.</summary>
    AcceptedUnconfirmed,

    /// <summary>A temporary problem (4xx, connection lost before the end): try again later.</summary>
    TryAgain,

    /// <summary>Refused for good (5xx: no such mailbox, a malformed address): tell a person.</summary>
    Refused,
}

/// <summary>
/// Sends the outbox's email over one SMTP connection with MailKit, kept open across messages. The connection runs
/// through a <see cref="CommitPointStream"/>, which records each message in the <see cref="SendJournal"/> just before
/// its final byte: the server can only have a message the journal knows about.
/// </summary>
internal sealed class SmtpMailer(DeliverySettings settings, SendJournal journal, MailboxAddress from) : IAsyncDisposable
{
    private SmtpClient? client;
    private CommitPointStream? stream;

    public async Task<(MailOutcome Outcome, string? Error)> SendAsync(OutboxMessage message, Instant now, CancellationToken cancellationToken)
    {
        // The same rule campaigns plan by, so what they would hold back is never sent here either.
        if (!EmailAddresses.IsValid(message.Address))
        {
            return (MailOutcome.Refused, $"\"{message.Address}\" is not a valid email address.");
        }

        var to = new MailboxAddress(message.RecipientName, message.Address.Trim());

        var mime = Compose(message, to, now);
        var committed = false;
        try
        {
            var smtp = await ConnectedAsync(cancellationToken);
            stream!.OnCommit = () =>
            {
                journal.Record(message.Id);
                committed = true;
            };
            await smtp.SendAsync(mime, cancellationToken);
            return (MailOutcome.Accepted, null);
        }
        catch (SmtpCommandException ex)
        {
            stream?.OnCommit = null;
            await ResetAsync();
            var permanent = (int)ex.StatusCode >= 500;
            var what = ex.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $"The mail server refused the address {message.Address}",
                SmtpErrorCode.SenderNotAccepted => $"The mail server refused the sending address {settings.FromAddress}",
                _ => "The mail server refused the message",
            };
            return (permanent && ex.ErrorCode != SmtpErrorCode.SenderNotAccepted ? MailOutcome.Refused : MailOutcome.TryAgain, $"{what}: {(int)ex.StatusCode} {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException or AuthenticationException or SslHandshakeException or TimeoutException)
        {
            stream?.OnCommit = null;
            await ResetAsync();
            return committed
                ? (MailOutcome.AcceptedUnconfirmed, $"The connection dropped after the message was handed over; its acceptance was not confirmed ({ex.Message}).")
                : (MailOutcome.TryAgain, $"Could not reach the mail server at {settings.SmtpHost}:{settings.SmtpPort}: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client is { IsConnected: true })
        {
            try
            {
                await client.DisconnectAsync(quit: true);
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
            {
                // Quitting is a courtesy; the messages are settled already.
            }
        }

        await ResetAsync();
    }

    private MimeMessage Compose(OutboxMessage message, MailboxAddress to, Instant now)
    {
        var mime = new MimeMessage
        {
            MessageId = message.MessageId,
            Date = now.ToDateTimeOffset(),
            Subject = message.Subject,
        };
        mime.From.Add(from);
        mime.To.Add(to);
        mime.Headers.Add("X-Ensemble-Message", message.Key);
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        mime.Body = body.ToMessageBody();
        return mime;
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (client is { IsConnected: true })
        {
            return client;
        }

        await ResetAsync();
        var host = settings.SmtpHost ?? throw new InvalidOperationException("No mail server is configured.");
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, settings.SmtpPort, cancellationToken);
            Stream network = tcp.GetStream();
            if (settings.SmtpUseTls)
            {
                // Implicit TLS (port 465): the commit point must see the plain SMTP bytes, so TLS sits beneath it
                // rather than being negotiated by STARTTLS inside the client.
                var tls = new SslStream(network, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken);
                network = tls;
            }

            stream = new CommitPointStream(network);
            var smtp = new SmtpClient { Timeout = 30_000 };
            await smtp.ConnectAsync(stream, host, settings.SmtpPort, SecureSocketOptions.None, cancellationToken);

            // BDAT would end a message with a command instead of the marker the commit point watches for.
            smtp.Capabilities &= ~(SmtpCapabilities.Chunking | SmtpCapabilities.BinaryMime);
            if (settings.SmtpUser is { Length: > 0 } user)
            {
                await smtp.AuthenticateAsync(user, settings.SmtpPassword ?? "", cancellationToken);
            }

            client = smtp;
            return smtp;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private async Task ResetAsync()
    {
        client?.Dispose();
        client = null;
        if (stream is not null)
        {
            await stream.DisposeAsync();
            stream = null;
        }
    }
}
