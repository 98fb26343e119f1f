using Ensemble.Communications;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Tests.Testing;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Archive;

public sealed class ArchiveSearchTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Search_FindsWordsInTheSubjectOrText_WhateverTheirCase(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        var subject = await Outboxes.AddAsync(firm, firm.Households[0], "Annual FORM ADV summary");
        var body = await Outboxes.AddAsync(firm, firm.Households[1], "Letter", body: "Our updated Form ADV brochure is enclosed.");
        await Outboxes.AddAsync(firm, firm.Households[1], "Quarterly commentary");

        var found = await new OutboxArchive(firm.Db).SearchAsync(new ArchiveFilter(Text: "form adv"), ArchiveScope.WholeFirm, 50, 0);

        Assert.Equal([body, subject], found.Select(m => m.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Search_TakesWildcardsAsTheCharactersTyped(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var percent = await Outboxes.AddAsync(firm, firm.Households[0], "Your fee drops to 0.5% from January");
        await Outboxes.AddAsync(firm, firm.Households[0], "Quarterly commentary");

        var found = await new OutboxArchive(firm.Db).SearchAsync(new ArchiveFilter(Text: "5%"), ArchiveScope.WholeFirm, 50, 0);
        var underscore = await new OutboxArchive(firm.Db).SearchAsync(new ArchiveFilter(Text: "_"), ArchiveScope.WholeFirm, 50, 0);

        Assert.Equal([percent], found.Select(m => m.Id));
        Assert.Empty(underscore);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Search_FiltersByHouseholdKindChannelStatusAndSendingDay(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        var (first, second) = (firm.Households[0], firm.Households[1]);
        firm.Clock.Reset(Instant.FromUtc(2026, 3, 2, 15, 0));
        var march = await Outboxes.AddAsync(firm, first, "Form ADV", kind: "form-adv");
        var letter = await Outboxes.AddAsync(firm, first, "Form ADV by post", kind: "form-adv", channel: DeliveryChannel.Letter, address: "1 Main St\nSpringfield");
        firm.Clock.Reset(Instant.FromUtc(2026, 6, 1, 15, 0));
        var failed = await Outboxes.AddAsync(firm, first, "June commentary", DeliveryStatus.Failed);
        var other = await Outboxes.AddAsync(firm, second, "June commentary");
        var archive = new OutboxArchive(firm.Db);

        async Task<IEnumerable<long>> Ids(ArchiveFilter filter) => (await archive.SearchAsync(filter, ArchiveScope.WholeFirm, 50, 0)).Select(m => m.Id);

        Assert.Equal([failed, letter, march], await Ids(new ArchiveFilter(Household: first)));
        Assert.Equal([letter, march], await Ids(new ArchiveFilter(Kind: "form-adv")));
        Assert.Equal([letter], await Ids(new ArchiveFilter(Channel: DeliveryChannel.Letter)));
        Assert.Equal([failed], await Ids(new ArchiveFilter(Status: DeliveryStatus.Failed)));
        Assert.Equal([letter, march], await Ids(new ArchiveFilter(From: new LocalDate(2026, 3, 2), To: new LocalDate(2026, 3, 2))));
        Assert.Equal([other, failed], await Ids(new ArchiveFilter(From: new LocalDate(2026, 4, 1))));
        Assert.Equal(2, await archive.CountAsync(new ArchiveFilter(Kind: "form-adv"), ArchiveScope.WholeFirm));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Search_WithinAPersonsScope_ShowsTheirHouseholdsAndTheirOwnEmailsOnly(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        var mine = await Outboxes.AddAsync(firm, firm.Households[0], "To my household");
        await Outboxes.AddAsync(firm, firm.Households[1], "To someone else's household");
        var myDigest = await Outboxes.AddAsync(firm, null, "Your day", kind: "staff-digest", staff: firm.Staff["alice"], address: "alice@test.example");
        await Outboxes.AddAsync(firm, null, "Bob's day", kind: "staff-digest", staff: firm.Staff["bob"], address: "bob@test.example");
        var scope = new ArchiveScope([firm.Households[0].Value], firm.Staff["alice"]);
        var archive = new OutboxArchive(firm.Db);

        var found = await archive.SearchAsync(new ArchiveFilter(), scope, 50, 0);

        Assert.Equal([myDigest, mine], found.Select(m => m.Id));
        Assert.Null(await archive.FindAsync(found[0].Id + 1, scope));
        Assert.NotNull(await archive.FindAsync(mine, scope));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Search_PagesNewestFirst(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Outboxes.AddAsync(firm, firm.Households[0], $"Message {i}"));
        }

        var archive = new OutboxArchive(firm.Db);
        var first = await archive.SearchAsync(new ArchiveFilter(), ArchiveScope.WholeFirm, 2, 0);
        var third = await archive.SearchAsync(new ArchiveFilter(), ArchiveScope.WholeFirm, 2, 4);

        Assert.Equal([ids[4], ids[3]], first.Select(m => m.Id));
        Assert.Equal([ids[0]], third.Select(m => m.Id));
        Assert.Equal("HH-00001", first[0].HouseholdKey);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FindAsync_ShowsTheMessageAsSent_WithItsRetention(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "Résumé de l'année", body: "Chère cliente, …", html: "<p>Chère cliente, …</p>");

        var message = await new OutboxArchive(firm.Db).FindAsync(id, ArchiveScope.WholeFirm);

        Assert.NotNull(message);
        Assert.Equal(("Résumé de l'année", "Chère cliente, …", "<p>Chère cliente, …</p>"), (message.Subject, message.TextBody, message.HtmlBody));
        Assert.Equal(("sent", "email", "HH-00001"), (message.Status, message.Channel, message.HouseholdKey));
        Assert.EndsWith("@" + MessageIds.Domain, message.MessageId, StringComparison.Ordinal);
        Assert.True(message.IsRetained(firm.Clock.GetCurrentInstant()));
        Assert.Null(message.Campaign);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ReadingAFilter_NamesEachFieldAtFault(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);

        var (filter, errors) = await ArchiveFilterReader.ReadAsync(firm.Db, new ArchiveSearchText(null, "HH-404", null, "fax", "lost", "2026-13-01", null));

        Assert.Null(filter);
        Assert.Equal(["household", "channel", "status", "from"], errors.Select(e => e.Field));
    }
}
