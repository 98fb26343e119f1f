using System.Globalization;
using Ensemble.Communications;
using Ensemble.Storage;
using Ensemble.Storage.Communications;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Cli.Tests.Communications;

/// <summary>
/// The outbox's promise under the worst a machine does: the sending process is killed (SIGKILL, no chance to tidy
/// up) at random moments while a mailing goes out, again and again, then run to the end. No recipient may have the
/// message twice in the real mail server's mailbox, and every recipient must have it, but for a message whose sender
/// was killed between its commit point and its last byte, which the journal marks as such.
/// </summary>
public sealed class OutboxKillTests
{
    private const int Messages = 600;
    private const int Kills = 22;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task KillingTheSenderAtRandomPoints_DeliversEveryMessageExactlyOnce(StorageProvider provider)
    {
        var location = await TestDatabases.CreateEmptyAsync(provider, "outbox");
        var cli = new Cli(location);
        await cli.OkAsync("init", "--name", "Outbox Test Wealth");
        await QueueAsync(location);
        using var mail = await MailServer.StartAsync();
        var send = new[] { "outbox", "send", "--smtp-host", "127.0.0.1", "--smtp-port", mail.Port.ToString(CultureInfo.InvariantCulture), "--rate", "60" };

        var random = new Random(20261130);
        var interrupted = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            // Starting the program takes a second or more; the kill is aimed at the sending itself: a random moment
            // after this run's first message reached the server.
            var before = mail.Count();
            using var sender = cli.Start(send);
            var started = DateTime.UtcNow;
            while (mail.Count() == before && !sender.HasExited && DateTime.UtcNow - started < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            await Task.Delay(random.Next(0, 500));
            sender.Kill(entireProcessTree: true);
            await sender.WaitForExitAsync();
            interrupted += await PendingAsync(location) > 0 ? 1 : 0;
        }

        var last = await cli.OkAsync(send);

        Assert.True(interrupted >= 20, $"Only {interrupted} of {Kills} kills landed while messages were still waiting; the test proves nothing with fewer than 20.");
        Assert.Equal(0, await PendingAsync(location));
        var delivered = await mail.WaitForAsync(Messages, TimeSpan.FromSeconds(10));
        var perMessage = delivered.GroupBy(m => m.MessageId ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perMessage.Values.All(n => n == 1), $"Delivered twice: {string.Join(", ", perMessage.Where(p => p.Value > 1).Select(p => p.Key))}\n{last.All}");
        await using var db = EnsembleDatabase.CreateContext(location);
        var sent = await db.Outbox.AsNoTracking().Select(m => new { m.MessageId, m.LastError }).ToListAsync();
        Assert.Equal(Messages, sent.Count);
        Assert.All(perMessage.Keys, id => Assert.Contains(sent, m => m.MessageId == id));

        // The one way a message can miss the mailbox, by design: a kill in the instant between its commit point and its
        // last byte. It is then marked sent from the journal, which says so, and no kill can leave more than one.
        var missing = sent.Where(m => !perMessage.ContainsKey(m.MessageId)).ToList();
        Assert.All(missing, m => Assert.Contains("send journal", m.LastError ?? "", StringComparison.Ordinal));
        Assert.True(missing.Count <= Kills, $"{missing.Count} messages never reached the server.");
        Assert.Equal(Messages, delivered.Count + missing.Count);

        // Kills mid-batch leave messages the server has but the database does not: only the journal kept them single.
        var recovered = await db.Outbox.CountAsync(m => m.LastError != null && m.LastError.Contains("send journal"));
        Assert.True(recovered > 0, "No kill landed between a message's hand-over and its settling; the journal was never needed.");
    }

    private static async Task QueueAsync(DatabaseLocation location)
    {
        await using var db = EnsembleDatabase.CreateContext(location);
        db.Actor = "test";
        var envelopes = Enumerable.Range(1, Messages)
            .Select(i => new OutboxEnvelope($"kill-test:{i}", "announcement", DeliveryChannel.Email, $"Client {i}", $"client{i}@example.com", "Office move", $"Dear client {i},\n\nWe have moved."))
            .ToList();
        await OutboxQueue.AddAsync(db, envelopes, Instant.FromUtc(2026, 11, 24, 14, 0)); // before the pinned clock of the CLI runs
        await db.SaveChangesAsync();
    }

    private static async Task<int> PendingAsync(DatabaseLocation location)
    {
        await using var db = EnsembleDatabase.CreateContext(location);
        return await db.Outbox.CountAsync(m => m.Status == DeliveryStatus.Queued || m.Status == DeliveryStatus.Sending);
    }
}
