using Ensemble.Communications;
using Ensemble.Communications.Archive;
using Ensemble.Communications.FormAdv;
using Ensemble.Households;
using Ensemble.Storage.Communications.Archive;
using Ensemble.Storage.Communications.FormAdv;
using Ensemble.Storage.Tests.Communications.Archive;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.FormAdv;

/// <summary>
/// Form ADV delivery for fiscal year 2025 (ended December 31, due April 30, 2026), looked at on the builder's day
/// (November 24, 2026): six client households and a prospect.
/// </summary>
public sealed class FormAdvTrackerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_FollowsFromWhatTheArchiveShowsWentOut(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 7);
        var h = firm.Households;
        var today = firm.Clock.GetCurrentInstant();
        await MakeProspectAsync(firm, "HH-00007");
        firm.Clock.Reset(Instant.FromUtc(2026, 3, 2, 15, 0));
        var onTime = await Outboxes.AddAsync(firm, h[0], "Form ADV 2025", kind: FormAdvYear.Kind);
        await Outboxes.AddAsync(firm, h[1], "Form ADV 2025", kind: FormAdvYear.Kind, channel: DeliveryChannel.Letter, address: "1 Main St", status: DeliveryStatus.Delivered);
        await Outboxes.AddAsync(firm, h[2], "Form ADV 2025", DeliveryStatus.Failed, kind: FormAdvYear.Kind);
        await Outboxes.AddAsync(firm, h[3], "Quarterly commentary");
        await Outboxes.AddAsync(firm, h[6], "Form ADV 2025", kind: FormAdvYear.Kind);
        firm.Clock.Reset(Instant.FromUtc(2025, 3, 2, 15, 0));
        await Outboxes.AddAsync(firm, h[4], "Form ADV 2024", kind: FormAdvYear.Kind);
        firm.Clock.Reset(Instant.FromUtc(2026, 6, 15, 15, 0));
        await Outboxes.AddAsync(firm, h[5], "Form ADV 2025, late", kind: FormAdvYear.Kind);
        firm.Clock.Reset(today);

        var report = (await new FormAdvTracker(firm.Db, firm.Clock).StatusAsync()).Value;

        Assert.Equal((2025, new LocalDate(2026, 4, 30)), (report.Year.FiscalYear, report.Year.Deadline));
        Assert.Equal((6, 2, 1, 0, 3), (report.Clients, report.Delivered, report.DeliveredLate, report.Owed, report.Overdue));
        var lines = report.Lines.ToDictionary(l => l.HouseholdKey);
        Assert.Equal((FormAdvState.Delivered, new LocalDate(2026, 3, 2), "email", onTime), (lines["HH-00001"].State, lines["HH-00001"].DeliveredOn, lines["HH-00001"].Channel, lines["HH-00001"].MessageId));
        Assert.Equal((FormAdvState.Delivered, "letter"), (lines["HH-00002"].State, lines["HH-00002"].Channel));
        Assert.Equal((FormAdvState.Overdue, "550 mailbox unavailable"), (lines["HH-00003"].State, lines["HH-00003"].LastFailure));
        Assert.Equal(FormAdvState.Overdue, lines["HH-00004"].State);
        Assert.Equal(FormAdvState.Overdue, lines["HH-00005"].State);
        Assert.Equal((FormAdvState.DeliveredLate, new LocalDate(2026, 6, 15)), (lines["HH-00006"].State, lines["HH-00006"].DeliveredOn));
        Assert.False(lines.ContainsKey("HH-00007"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_BeforeTheDeadline_CallsThoseNotYetSentOwed_AndCountsWhatIsInTheOutbox(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        firm.Clock.Reset(Instant.FromUtc(2026, 2, 2, 15, 0));
        await Outboxes.AddAsync(firm, firm.Households[0], "Form ADV 2025", DeliveryStatus.Queued, kind: FormAdvYear.Kind);

        var report = (await new FormAdvTracker(firm.Db, firm.Clock).StatusAsync(outstandingOnly: true)).Value;

        Assert.Equal((0, 2, 0, 87), (report.Delivered, report.Owed, report.Overdue, report.DaysLeft));
        Assert.Equal([1, 0], report.Lines.Select(l => l.InOutbox));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_OutstandingOnly_ListsOnlyThoseStillOwed_ButCountsEveryone(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 3);
        var today = firm.Clock.GetCurrentInstant();
        firm.Clock.Reset(Instant.FromUtc(2026, 3, 2, 15, 0));
        await Outboxes.AddAsync(firm, firm.Households[0], "Form ADV 2025", kind: FormAdvYear.Kind);
        firm.Clock.Reset(today);

        var report = (await new FormAdvTracker(firm.Db, firm.Clock).StatusAsync(outstandingOnly: true)).Value;

        Assert.Equal(["HH-00002", "HH-00003"], report.Lines.Select(l => l.HouseholdKey));
        Assert.Equal((3, 1, 2), (report.Clients, report.Delivered, report.Outstanding));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_FollowsTheFirmsFiscalYearEnd(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await CommunicationSettingsStore.SaveAsync(firm.Db, CommunicationSettings.Default with { FiscalYearEnd = new AnnualDate(3, 31) });

        var report = (await new FormAdvTracker(firm.Db, firm.Clock).StatusAsync()).Value;

        Assert.Equal((2026, new LocalDate(2026, 3, 31), new LocalDate(2026, 7, 29)), (report.Year.FiscalYear, report.Year.FiscalYearEnd, report.Year.Deadline));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_ForAYearThatHasNotBegun_IsRefusedNamingTheYear(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);

        var result = await new FormAdvTracker(firm.Db, firm.Clock).StatusAsync(2031);

        Assert.False(result.IsSuccess);
        Assert.StartsWith("year: choose a fiscal year from 1990 to 2026", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Csv_HasOneRowPerHousehold_WithTheDeadline(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        var report = (await new FormAdvTracker(firm.Db, firm.Clock).StatusAsync()).Value;

        using var writer = new StringWriter();
        FormAdvCsv.Write(writer, report);
        var lines = writer.ToString().TrimEnd().Split("\r\n");

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Fiscal year,Fiscal year end,Deadline,Household,Name,Status", lines[0], StringComparison.Ordinal);
        Assert.Equal("2025,2025-12-31,2026-04-30,HH-00001,Household 1,overdue,,,,,0,,", lines[1]);
    }

    private static async Task MakeProspectAsync(FirmBuilder firm, string key)
    {
        var household = await firm.Db.Households.SingleAsync(x => x.Key == key);
        household.MoveTo(LifecycleStage.Prospect);
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
    }
}
