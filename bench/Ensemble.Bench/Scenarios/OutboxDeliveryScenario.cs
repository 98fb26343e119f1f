using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ensemble.Communications;
using Ensemble.Storage;
using Ensemble.Storage.Communications;
using Ensemble.Storage.Communications.Delivery;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Delivering email from the outbox to a local SMTP server (Debian's aiosmtpd writing a maildir): claims, the
/// commit-point journal, MailKit over one connection, settling in batches. The baseline, in the same run, is MailKit
/// sending the same messages over one connection with no outbox at all: the ratio is what exactly-once costs.
/// </summary>
internal static class OutboxDeliveryScenario
{
    public const string Name = "Outbox delivery";

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var count = options.Scale.Name == "full" ? 10_000 : 2_000;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "outbox");
        using var server = await AioSmtpd.StartAsync();
        var now = SystemClock.Instance.GetCurrentInstant();
        await using (var db = database.Open(SystemClock.Instance))
        {
            db.Actor = "bench";
            foreach (var chunk in Enumerable.Range(1, count).Chunk(2_000))
            {
                await OutboxQueue.AddAsync(db, chunk.Select(Envelope).ToList(), now);
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        // Baseline: the same messages straight through MailKit, one connection, nothing recorded.
        var baseline = Stopwatch.StartNew();
        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
            for (var i = 1; i <= count; i++)
            {
                var e = Envelope(i);
                var message = new MimeMessage { Subject = e.Subject, MessageId = MessageIds.For("baseline:" + i) };
                message.From.Add(MailboxAddress.Parse(DeliverySettings.DefaultFrom));
                message.To.Add(new MailboxAddress(e.RecipientName, e.Address));
                message.Body = new BodyBuilder { TextBody = e.TextBody, HtmlBody = e.HtmlBody }.ToMessageBody();
                await client.SendAsync(message);
            }

            await client.DisconnectAsync(true);
        }

        var baselineRate = count / baseline.Elapsed.TotalSeconds;

        var settings = DeliverySettings.Defaults(Path.Combine(options.WorkFolder, "outbox-journal")) with
        {
            SmtpHost = "127.0.0.1", SmtpPort = server.Port, RatePerSecond = 0, Batch = 100,
        };
        var watch = Stopwatch.StartNew();
        OutboxPass pass;
        await using (var sender = new OutboxSender(settings, SystemClock.Instance, "bench"))
        await using (var db = database.Open(SystemClock.Instance))
        {
            pass = await sender.SendAllDueAsync(db);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var rate = pass.Sent / seconds;
        var inMailbox = server.Count();
        Console.WriteLine($"  {Format.Count(pass.Sent)} emails sent from the outbox in {Format.Seconds(seconds)} = {rate:N0}/s; MailKit alone: {baselineRate:N0}/s " +
            $"(outbox at {rate / baselineRate:0.00}× of it); mailbox holds {Format.Count(inMailbox)} of {Format.Count(2 * count)} expected");
        return
        [
            new($"{Name}: {Format.Count(count)} emails to local SMTP", provider, $"{rate:N0}/s ({rate / baselineRate:0.00}× MailKit alone, {baselineRate:N0}/s)", "≥ 200/s", rate >= 200 && pass.Sent == count && inMailbox == 2 * count, "—"),
        ];
    }

    private static OutboxEnvelope Envelope(int i) => new(
        $"bench:{i}", "announcement", DeliveryChannel.Email, $"Client Nº {i} Müller", $"client{i}@example.com", "Our quarterly commentary — Q4",
        $"Dear client {i},\n\nMarkets were calm this quarter. Your advisor will be in touch before your review.\n\nKind regards,\nThe service team",
        $"<p>Dear client {i},</p><p>Markets were calm this quarter. Your advisor will be in touch before your review.</p><p>Kind regards,<br>The service team</p>");

    /// <summary>aiosmtpd on a free loopback port with a maildir under the temp folder.</summary>
    private sealed class AioSmtpd : IDisposable
    {
        private readonly Process process;
        private readonly string maildir;

        private AioSmtpd(Process process, int port, string maildir)
        {
            this.process = process;
            this.maildir = maildir;
            Port = port;
        }

        public int Port { get; }

        public static async Task<AioSmtpd> StartAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            // aiosmtpd makes the maildir (tmp, new, cur) only when the folder does not exist yet.
            var maildir = Path.Combine(Path.GetTempPath(), "ensemble-bench-mail-" + Guid.NewGuid().ToString("N"));
            var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("aiosmtpd did not start (install Debian's python3-aiosmtpd).");
            for (var i = 0; i < 200; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return new AioSmtpd(process, port, maildir);
                }
                catch (SocketException)
                {
                    await Task.Delay(50);
                }
            }

            process.Kill();
            throw new InvalidOperationException("aiosmtpd did not listen within 10 s.");
        }

        public int Count() => Directory.Exists(Path.Combine(maildir, "new")) ? Directory.GetFiles(Path.Combine(maildir, "new")).Length : 0;

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
            process.Dispose();
            Directory.Delete(maildir, recursive: true);
        }
    }
}
