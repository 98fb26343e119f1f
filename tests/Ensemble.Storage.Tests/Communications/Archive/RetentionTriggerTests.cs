using System.Data.Common;
using Ensemble.Communications;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Archive;

/// <summary>The database itself keeps the books and records: no delete before retention ends, no shortening it, no rewriting what was sent.</summary>
public sealed class RetentionTriggerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DeletingAMessageStillRetained_IsRefusedByTheDatabase(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "Quarterly commentary");

        var refused = await Record.ExceptionAsync(() => firm.Db.Outbox.Where(m => m.Id == id).ExecuteDeleteAsync());
        var raw = await Record.ExceptionAsync(() => firm.Db.Database.ExecuteSqlRawAsync("DELETE FROM outbox_messages"));

        Assert.IsAssignableFrom<DbException>(refused);
        Assert.Contains("retained", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DbException>(raw);
        Assert.True(await firm.Db.Outbox.AnyAsync(m => m.Id == id));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DeletingAMessagePastItsRetention_IsAllowed(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        firm.Clock.Reset(Instant.FromUtc(2012, 3, 1, 12, 0));
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "Sent in 2012, kept until 2018");

        var deleted = await firm.Db.Outbox.Where(m => m.Id == id).ExecuteDeleteAsync();

        Assert.Equal(1, deleted);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ShorteningAMessagesRetention_IsRefused_SoItCannotBeDeletedEarlyThatWay(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var id = await Outboxes.AddAsync(firm, firm.Households[0], "Quarterly commentary");
        var past = Instant.FromUtc(2000, 1, 1, 0, 0);

        var refused = await Record.ExceptionAsync(() => firm.Db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.RetainUntil, past)));
        var later = await firm.Db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.RetainUntil, Instant.FromUtc(2040, 1, 1, 0, 0)));

        Assert.IsAssignableFrom<DbException>(refused);
        Assert.Equal(1, later);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RewritingTheTextOfASentMessage_IsRefused_ButAQueuedOneMayStillChange(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var sent = await Outboxes.AddAsync(firm, firm.Households[0], "As sent");
        var queued = await Outboxes.AddAsync(firm, firm.Households[0], "Not sent yet", DeliveryStatus.Queued);

        var refused = await Record.ExceptionAsync(() => firm.Db.Outbox.Where(m => m.Id == sent).ExecuteUpdateAsync(u => u.SetProperty(m => m.TextBody, "Something else")));
        var changed = await firm.Db.Outbox.Where(m => m.Id == queued).ExecuteUpdateAsync(u => u.SetProperty(m => m.Subject, "Corrected before sending"));
        var delivered = await firm.Db.Outbox.Where(m => m.Id == sent).ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, DeliveryStatus.Delivered));

        Assert.IsAssignableFrom<DbException>(refused);
        Assert.Equal("As sent", await firm.Db.Outbox.Where(m => m.Id == sent).Select(m => m.Subject).SingleAsync());
        Assert.Equal(1, changed);
        Assert.Equal(1, delivered);
    }
}
