using System.IO.Compression;
using Ensemble.Communications;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Tests.Testing;
using MimeKit;

namespace Ensemble.Storage.Tests.Communications.Archive;

public sealed class ArchiveExportTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Export_WritesEachEmailAsAnEmlWithItsStoredMessageId_EachLetterAsText_AndAnIndex(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        var email = await Outboxes.AddAsync(firm, firm.Households[0], "Ihr Jahresbericht — Zoë", body: "Grüße aus dem Büro.", html: "<p>Grüße aus dem Büro.</p>", name: "Zoë Müller", address: "zoe@test.example");
        var letter = await Outboxes.AddAsync(firm, firm.Households[0], "Form ADV", kind: "form-adv", channel: DeliveryChannel.Letter, address: "1 Main St\nSpringfield, IL 62701", body: "Enclosed is our brochure.");
        await Outboxes.AddAsync(firm, firm.Households[1], "Someone else's");
        var stored = await new OutboxArchive(firm.Db).FindAsync(email, ArchiveScope.WholeFirm);

        using var zipped = new MemoryStream();
        var report = await new ArchiveExport(firm.Db).WriteAsync("HH-00001", zipped);
        zipped.Position = 0;
        using var zip = new ZipArchive(zipped, ZipArchiveMode.Read);

        Assert.Equal((2, 1, 1), (report!.Messages, report.Emails, report.Letters));
        Assert.Equal(3, zip.Entries.Count);
        var eml = zip.Entries.Single(e => e.Name.EndsWith(".eml", StringComparison.Ordinal));
        await using (var stream = eml.Open())
        {
            var mime = await MimeMessage.LoadAsync(stream);
            Assert.Equal(stored!.MessageId, mime.MessageId);
            Assert.Equal("Ihr Jahresbericht — Zoë", mime.Subject);
            Assert.Equal("Zoë Müller", ((MailboxAddress)mime.To.Single()).Name);
            Assert.Equal("zoe@test.example", ((MailboxAddress)mime.To.Single()).Address);
            Assert.Equal("Grüße aus dem Büro.", mime.TextBody!.Trim());
            Assert.Equal("<p>Grüße aus dem Büro.</p>", mime.HtmlBody!.Trim());
            Assert.Equal("HH-00001", mime.Headers["X-Ensemble-Household"]);
        }

        var text = zip.Entries.Single(e => e.Name.EndsWith("_form-adv_letter.txt", StringComparison.Ordinal));
        using (var reader = new StreamReader(text.Open()))
        {
            Assert.Equal("Ana Client\n1 Main St\nSpringfield, IL 62701\n\nForm ADV\n\nEnclosed is our brochure.", await reader.ReadToEndAsync());
        }

        using var index = new StreamReader(zip.GetEntry(ArchiveExport.IndexFile)!.Open());
        var lines = (await index.ReadToEndAsync()).TrimEnd().Split("\r\n");
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("File,Id,Message-ID,Kind,Channel,Status", lines[0], StringComparison.Ordinal);
        Assert.Contains(stored!.MessageId, lines[1], StringComparison.Ordinal);
        Assert.Contains($",{letter},", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Export_OfAnUnknownHousehold_WritesNothing(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        using var zipped = new MemoryStream();

        Assert.Null(await new ArchiveExport(firm.Db).WriteAsync("HH-404", zipped));
        Assert.Equal(0, zipped.Length);
    }
}
