using Ensemble.Storage.Communications.Notifications;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Communications.Notifications;

public sealed class NotificationPreferencesStoreTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task APersonWhoNeverChose_GetsEveryEmail(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);

        var view = await new NotificationPreferencesStore(firm.Db).GetAsync(firm.Staff["alice"]);

        Assert.Equal(("alice", "alice@test.example", true, true, true), (view!.Handle, view.Email, view.DailyDigest, view.MeetingReminders, view.AlertsInDigest));
        Assert.Equal(0, await firm.Db.NotificationPreferences.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Set_ChangesOnlyTheChoicesGiven_AndIsAudited(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);
        var store = new NotificationPreferencesStore(firm.Db);

        await store.SetAsync(firm.Staff["alice"], false, null, null, "alice");
        var view = (await store.SetAsync(firm.Staff["alice"], null, null, false, "alice")).Value;

        Assert.Equal((false, true, false), (view.DailyDigest, view.MeetingReminders, view.AlertsInDigest));
        Assert.True(await firm.Db.AuditEvents.AnyAsync(e => e.Operation == "set-notification-preferences" && e.Actor == "alice"));
        var bob = await store.GetAsync(firm.Staff["bob"]);
        Assert.True(bob!.DailyDigest);
    }
}
