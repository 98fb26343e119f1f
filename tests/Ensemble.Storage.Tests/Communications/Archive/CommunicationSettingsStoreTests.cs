using Ensemble.Communications.Archive;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Archive;

public sealed class CommunicationSettingsStoreTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AFirmThatNeverSetThem_RunsOnSixYearsAndDecember31(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);

        Assert.Equal(CommunicationSettings.Default, await CommunicationSettingsStore.GetAsync(firm.Db));
        Assert.Equal(Duration.FromDays((6 * 365) + 2), await CommunicationSettingsStore.RetentionAsync(firm.Db));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Save_StoresTheSettings_AsOneAuditedChange_AndARepeatWritesNothing(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);
        var wanted = new CommunicationSettings(7, new AnnualDate(3, 31), "https://ensemble.example.com/");
        firm.Db.Actor = "omar";

        var saved = await CommunicationSettingsStore.SaveAsync(firm.Db, wanted);
        var events = await firm.Db.AuditEvents.CountAsync();
        await CommunicationSettingsStore.SaveAsync(firm.Db, wanted);

        Assert.True(saved.IsSuccess);
        Assert.Equal(wanted, await CommunicationSettingsStore.GetAsync(firm.Db));
        Assert.Equal(RetentionPeriod.OfYears(7), await CommunicationSettingsStore.RetentionAsync(firm.Db));
        Assert.Equal(events, await firm.Db.AuditEvents.CountAsync());
        Assert.True(await firm.Db.AuditEvents.AnyAsync(e => e.EntityType == nameof(CommunicationSettingsRow) && e.Actor == "omar"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Save_RefusesAPeriodShorterThanTheRule_AndKeepsTheOldOne(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);

        var saved = await CommunicationSettingsStore.SaveAsync(firm.Db, CommunicationSettings.Default with { RetentionYears = 3 });

        Assert.False(saved.IsSuccess);
        Assert.StartsWith("retentionYears:", saved.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(6, (await CommunicationSettingsStore.GetAsync(firm.Db)).RetentionYears);
    }
}
