using Ensemble.Communications;
using Ensemble.Storage.Communications;
using Ensemble.Storage.Communications.Delivery;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Delivery;

public sealed class OutboxSenderTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_DeliversEachEmailOnce_WithTextAndHtmlParts_AndEncodedNamesAndSubjects(StorageProvider provider)
    {
        using var mail = await MailServer.StartAsync();
        await using var firm = await FirmBuilder.CreateAsync(provider, 3);
        await QueueAsync(firm,
            Email("m1", "Zoë O'Brien", "zoe@example.com", "Ihr Jahresgespräch — Überblick", "Liebe Zoë,\n\nGrüße aus dem Büro.", "<p>Liebe Zoë,</p><p>Grüße aus dem Büro.</p>", firm.Households[0]),
            Email("m2", "Li Wei 李伟", "li.wei@example.com", "Quarterly commentary", "Dear Li,\n\nMarkets were calm.", null, firm.Households[1]));

        await using var sender = new OutboxSender(Settings(mail, firm), firm.Clock, "node-a");
        var pass = await sender.SendAllDueAsync(firm.Db);
        var again = await sender.SendAllDueAsync(firm.Db);

        Assert.Equal(2, pass.Sent);
        Assert.Equal(0, again.Claimed);
        var delivered = await mail.WaitForAsync(2);
        Assert.Equal(2, delivered.Count);
        var zoe = delivered.Single(m => m.To.Mailboxes.Single().Address == "zoe@example.com");
        Assert.Equal("Zoë O'Brien", zoe.To.Mailboxes.Single().Name);
        Assert.Equal("Test", zoe.From.Mailboxes.Single().Name); // the firm's name, as no sender is configured
        Assert.Equal("Ihr Jahresgespräch — Überblick", zoe.Subject);
        Assert.Contains("Grüße aus dem Büro.", zoe.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Grüße aus dem Büro.</p>", zoe.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(MessageIds.For("m1"), zoe.MessageId);
        var li = delivered.Single(m => m.To.Mailboxes.Single().Address == "li.wei@example.com");
        Assert.Equal("Li Wei 李伟", li.To.Mailboxes.Single().Name);
        Assert.Null(li.HtmlBody);

        var rows = await firm.OpenAnother().Outbox.AsNoTracking().ToListAsync();
        Assert.All(rows, r => Assert.Equal(DeliveryStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.True(r.RetainUntil >= r.SentAt!.Value + Duration.FromDays(6 * 365)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_WhenTheMailServerIsDown_RetriesWithBackoff_AndSendsOnceItIsBack(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await QueueAsync(firm, Email("m1", "Ann Lee", "ann@example.com", "Hello", "Hi", null, firm.Households[0]));
        using var mail = await MailServer.StartAsync();
        var down = Settings(mail, firm) with { SmtpPort = 1 };

        await using (var sender = new OutboxSender(down, firm.Clock, "node-a"))
        {
            var first = await sender.SendAllDueAsync(firm.Db);
            Assert.Equal(1, first.Retrying);
        }

        var waiting = await firm.OpenAnother().Outbox.AsNoTracking().SingleAsync();
        Assert.Equal(DeliveryStatus.Queued, waiting.Status);
        Assert.Equal(firm.Clock.GetCurrentInstant() + Duration.FromMinutes(1), waiting.NextAttemptAt);
        Assert.Contains("Could not reach the mail server", waiting.LastError, StringComparison.Ordinal);

        await using var back = new OutboxSender(Settings(mail, firm), firm.Clock, "node-a");
        Assert.Equal(0, (await back.SendAllDueAsync(firm.Db)).Claimed); // not before its retry time
        firm.Clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(1, (await back.SendAllDueAsync(firm.Db)).Sent);
        Assert.Single(await mail.WaitForAsync(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_WhenAnAddressIsInvalid_FailsIt_AndGivesTheClientServiceAssociateATask(StorageProvider provider)
    {
        using var mail = await MailServer.StartAsync();
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await QueueAsync(firm, Email("m1", "Ann Lee", "ann.example.com", "Hello", "Hi", null, firm.Households[0]));

        await using var sender = new OutboxSender(Settings(mail, firm), firm.Clock, "node-a");
        var pass = await sender.SendAllDueAsync(firm.Db);

        Assert.Equal(1, pass.Failed);
        await using var check = firm.OpenAnother();
        var row = await check.Outbox.AsNoTracking().SingleAsync();
        Assert.Equal(DeliveryStatus.Failed, row.Status);
        Assert.Contains("not a valid email address", row.LastError, StringComparison.Ordinal);
        var instance = await check.Instances.AsNoTracking().SingleAsync(i => i.TriggerKey == DeliveryProblems.TriggerKey(row.Id));
        var task = await check.Tasks.AsNoTracking().SingleAsync(t => t.InstanceId == instance.Id);
        Assert.Equal("client-service-associate", task.RoleKey);
        Assert.Equal(firm.Staff["carol"], task.AssigneeId);
        Assert.Empty(mail.Messages());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Send_PutsLettersInTheDaysPrintBatch_AsOnePrintReadyDocumentPerRecipient(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        await QueueAsync(firm,
            new OutboxEnvelope("l1", "form-adv", DeliveryChannel.Letter, "Ann & Bo Lee", "12 Elm St\nSpringfield, IL 62701", "Our Form ADV", "Dear Ann,\n\nEnclosed <b>is</b> our brochure.", null, firm.Households[0]),
            new OutboxEnvelope("l2", "form-adv", DeliveryChannel.Letter, "Cy Park", "3 Oak Ave\nDover, DE 19901", "Our Form ADV", "Dear Cy,\n\nEnclosed.", null, firm.Households[1]));

        // No mail server at all: letters go regardless.
        await using var sender = new OutboxSender(DeliverySettings.Defaults(Journal()), firm.Clock, "node-a");
        Assert.Equal(2, (await sender.SendAllDueAsync(firm.Db)).Sent);

        var batch = LetterBatches.NameFor(firm.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date);
        using var zip = new MemoryStream();
        Assert.True(await LetterBatches.WriteZipAsync(firm.OpenAnother(), batch, zip));
        zip.Position = 0;
        using var archive = new System.IO.Compression.ZipArchive(zip);
        var documents = archive.Entries.Where(e => e.Name.EndsWith(".html", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, documents.Count);
        using var reader = new StreamReader(documents[0].Open());
        var html = await reader.ReadToEndAsync();
        Assert.Contains("Ann &amp; Bo Lee", html, StringComparison.Ordinal);
        Assert.Contains("12 Elm St", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;is&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("@page", html, StringComparison.Ordinal);
        Assert.NotNull(archive.GetEntry("manifest.csv"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Recovery_MarksWhatADeadSenderCommittedAsSent_AndRequeuesTheRestAtOnce(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        await QueueAsync(firm,
            Email("m1", "Ann Lee", "ann@example.com", "Hello", "Hi", null, firm.Households[0]),
            Email("m2", "Cy Park", "cy@example.com", "Hello", "Hi", null, firm.Households[1]));
        var journalDir = Journal();

        // A sender claims both, commits the first one's final byte, and dies (its journal is left behind, unlocked).
        const string dead = "dead-node-0123";
        await OutboxClaims.ClaimAsync(firm.Db, dead, firm.Clock.GetCurrentInstant(), 10, Duration.FromMinutes(2), includeEmail: true, CancellationToken.None);
        var first = await firm.OpenAnother().Outbox.AsNoTracking().SingleAsync(m => m.Key == "m1");
        Directory.CreateDirectory(journalDir);
        await File.WriteAllTextAsync(Path.Combine(journalDir, dead + ".journal"), $"{first.Id}\n");

        using var mail = await MailServer.StartAsync();
        await using var sender = new OutboxSender(Settings(mail, firm) with { JournalDirectory = journalDir }, firm.Clock, "node-b");
        var pass = await sender.SendAllDueAsync(firm.Db);

        Assert.Equal(1, pass.RecoveredSent);
        Assert.Equal(1, pass.RecoveredRequeued);
        Assert.Equal(1, pass.Sent);
        var delivered = await mail.WaitForAsync(1);
        Assert.Equal("cy@example.com", Assert.Single(delivered).To.Mailboxes.Single().Address);
        Assert.All(await firm.OpenAnother().Outbox.AsNoTracking().ToListAsync(), m => Assert.Equal(DeliveryStatus.Sent, m.Status));
        Assert.Empty(Directory.GetFiles(journalDir, "dead-node*"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Queue_SameKeyTwice_AddsOneMessage(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var envelope = Email("m1", "Ann Lee", "ann@example.com", "Hello", "Hi", null, firm.Households[0]);
        await QueueAsync(firm, envelope);
        var again = await OutboxQueue.AddAsync(firm.Db, [envelope], firm.Clock.GetCurrentInstant());
        await firm.Db.SaveChangesAsync();

        Assert.Equal(0, again);
        Assert.Equal(1, await firm.OpenAnother().Outbox.CountAsync());
    }

    internal static OutboxEnvelope Email(string key, string name, string address, string subject, string text, string? html, Ensemble.Common.HouseholdId household) =>
        new(key, "campaign", DeliveryChannel.Email, name, address, subject, text, html, household);

    internal static async Task QueueAsync(FirmBuilder firm, params OutboxEnvelope[] envelopes)
    {
        firm.Db.Actor = "test";
        await OutboxQueue.AddAsync(firm.Db, envelopes, firm.Clock.GetCurrentInstant());
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
    }

    internal static DeliverySettings Settings(MailServer mail, FirmBuilder firm) =>
        DeliverySettings.Defaults(Journal()) with { SmtpHost = "127.0.0.1", SmtpPort = mail.Port, RatePerSecond = 0 };

    internal static string Journal() => Path.Combine(Path.GetTempPath(), "ensemble-journal-" + Guid.NewGuid().ToString("N"));
}
