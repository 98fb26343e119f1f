using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory;

public sealed class AdvisoryRunTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Run_RaisesAnAlertPerFiringRule_WithTheValuesThatMadeItFire(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 3);
        await firm.HoldingsAsync(1, cashShare: 40, will: false);
        await firm.HoldingsAsync(2, cashShare: 15, will: true);
        await firm.HoldingsAsync(3, cashShare: 5, will: true);

        var report = await firm.RunAsync();

        Assert.Equal((3, 3, 0, 0, 0), (report.Households, report.Raised, report.VariantChanged, report.Resolved, report.CouldNotEvaluate));
        var cash = await firm.OpenAlertAsync(1, "test.cash");
        Assert.Equal(("high", "test.cash/high", AlertStatus.New), (cash.VariantKey, cash.TypeKey, cash.Status));
        Assert.Equal(("some", "test.cash/some"), ((await firm.OpenAlertAsync(2, "test.cash")).VariantKey, (await firm.OpenAlertAsync(2, "test.cash")).TypeKey));
        Assert.Equal("test.will", (await firm.OpenAlertAsync(1, "test.will")).TypeKey);

        await using var db = firm.OpenAnother();
        var view = await new AlertViews(db, firm.Clock).FindAsync(await AdvisorySettingsStore.GetAsync(db), cash.Id);
        Assert.Equal("Cash above target", view!.Title);
        Assert.Contains(view.Explanation, v => v.Name == "cash" && v.Label == "Cash held" && v.Value == "$400,000");
        Assert.Contains(view.Explanation, v => v.Name == "portfolio.value" && v.Value == "$1,000,000");
        Assert.Contains(view.Explanation, v => v.Name == "share" && v.Value == "40");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SecondRun_WithNothingChanged_WritesNothing(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 4);
        await firm.HoldingsAsync(1, cashShare: 40, will: false);
        await firm.HoldingsAsync(2, cashShare: 15, will: true);
        await firm.SheetAsync(3, ("portfolio.value", 0), ("cash", 10), ("will.exists", 1));
        await firm.HoldingsAsync(4, cashShare: 5, will: true);
        await firm.RunAsync();
        var before = await firm.FootprintAsync();

        firm.Clock.Advance(Duration.FromDays(1));
        var again = await firm.RunAsync();

        Assert.Equal((4, 0, 0, 0, 1), (again.Households, again.Raised, again.VariantChanged, again.Resolved, again.CouldNotEvaluate));
        Assert.Equal(before, await firm.FootprintAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FactChange_MovesTheVariant_KeepingTheStatus_WithHistory(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        await firm.RunAsync();
        var alert = await firm.OpenAlertAsync(1, "test.cash");
        await using (var db = firm.OpenAnother())
        {
            Assert.True((await new AlertBook(db, firm.Clock).AcknowledgeAsync(alert.Id, "alice")).IsSuccess);
        }

        await firm.HoldingsAsync(1, cashShare: 45, will: true);
        var report = await firm.RunAsync();

        Assert.Equal((0, 1, 0), (report.Raised, report.VariantChanged, report.Resolved));
        var moved = await firm.OpenAlertAsync(1, "test.cash");
        Assert.Equal((alert.Id, "high", "test.cash/high", AlertStatus.Acknowledged), (moved.Id, moved.VariantKey, moved.TypeKey, moved.Status));
        Assert.Contains("\"share\":\"45\"", moved.Explanation, StringComparison.Ordinal);
        var last = (await firm.HistoryAsync(alert.Id))[^1];
        Assert.Equal((AlertChange.Variant, Alert.System, "some → high"), (last.What, last.Actor, last.Note));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ConditionCleared_ResolvesTheAlertAutomatically_WithHistory(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 15, will: false);
        await firm.RunAsync();
        var alert = await firm.OpenAlertAsync(1, "test.will");

        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        var report = await firm.RunAsync();

        Assert.Equal((0, 0, 1), (report.Raised, report.VariantChanged, report.Resolved));
        var resolved = (await firm.AlertsAsync()).Single(a => a.Id == alert.Id);
        Assert.Equal((AlertStatus.Resolved, AlertResolution.ConditionCleared, Alert.System), (resolved.Status, resolved.Resolution, resolved.StatusChangedBy));
        Assert.False(resolved.HoldsUntilCleared);
        var change = Assert.Single(await firm.HistoryAsync(alert.Id));
        Assert.Equal((AlertChange.Cleared, AlertStatus.New, AlertStatus.Resolved), (change.What, change.From, change.To));

        // The problem coming back opens a new alert that links back to the resolved one.
        await firm.HoldingsAsync(1, cashShare: 15, will: false);
        Assert.Equal(1, (await firm.RunAsync()).Raised);
        var back = await firm.OpenAlertAsync(1, "test.will");
        Assert.Equal((alert.Id, 1), (back.PreviousAlertId, back.ReopenCount));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoRunsRacing_OpenAtMostOneAlertPerHouseholdAndRule(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 40);
        for (var n = 1; n <= 40; n++)
        {
            await firm.HoldingsAsync(n, cashShare: n, will: n % 2 == 0);
        }

        var reports = await Task.WhenAll(firm.RunAsync(), firm.RunAsync());

        var alerts = await firm.AlertsAsync();
        var expected = 30 + 20; // cash over 10% for households 11..40; no will for the odd ones
        Assert.Equal(expected, alerts.Count);
        Assert.Equal(expected, reports.Sum(r => r.Raised));
        Assert.Equal(alerts.Count, alerts.Select(a => (a.HouseholdId, a.RuleKey)).Distinct().Count());

        // The database itself refuses a second open alert for the same household and rule.
        await using var db = firm.OpenAnother();
        var first = alerts[0];
        db.Alerts.Add(new Alert(first.HouseholdId, first.RuleKey, first.VariantKey, first.TypeKey, "{}", firm.Clock.GetCurrentInstant()));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ABookReadInSeveralRangesAtOnce_IsEvaluatedWhole_AndARepeatWritesNothing(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 30);
        for (var n = 1; n <= 30; n++)
        {
            if (n % 10 == 0)
            {
                await firm.SheetAsync(n, ("portfolio.value", 0), ("cash", 5), ("will.exists", 1));
            }
            else
            {
                await firm.HoldingsAsync(n, cashShare: n * 2, will: n % 3 == 0);
            }
        }

        // Four households a range: the book is read by as many ranges at once as there are cores.
        await using var db = firm.OpenAnother();
        var first = await new AdvisoryRun(db, firm.Clock) { HouseholdsPerRange = 4 }.RunAsync();
        var before = await firm.FootprintAsync();
        var again = await new AdvisoryRun(db, firm.Clock) { HouseholdsPerRange = 4 }.RunAsync();

        // Cash over 10% from household 6 on (but not the three with no portfolio); no will where n is not a multiple of 3.
        var cash = Enumerable.Range(6, 25).Count(n => n % 10 != 0);
        var wills = Enumerable.Range(1, 30).Count(n => n % 3 != 0 && n % 10 != 0);
        Assert.Equal((30, cash + wills, 3), (first.Households, first.Raised, first.CouldNotEvaluate));
        Assert.Equal((30, 0, 0, 0, 3), (again.Households, again.Raised, again.VariantChanged, again.Resolved, again.CouldNotEvaluate));
        Assert.Equal(before, await firm.FootprintAsync());
        Assert.Equal(3, before.Listed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CouldNotEvaluate_IsCountedAndListedWithTheReason_AndTheRunGoesOn(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 3);
        await firm.SheetAsync(1, ("portfolio.value", 0), ("cash", 50_000), ("will.exists", 0));
        await firm.SheetAsync(2, ("portfolio.value", 1_000_000), ("will.exists", 1));
        await firm.HoldingsAsync(3, cashShare: 40, will: true);

        var report = await firm.RunAsync();

        Assert.Equal((3, 2, 2), (report.Households, report.CouldNotEvaluate, report.Raised));
        Assert.Equal("test.will", (await firm.OpenAlertAsync(1, "test.will")).RuleKey);
        Assert.Equal("high", (await firm.OpenAlertAsync(3, "test.cash")).VariantKey);
        await using var db = firm.OpenAnother();
        var listed = await new AlertViews(db, firm.Clock).UnevaluatedAsync(await AdvisorySettingsStore.GetAsync(db), 100);
        Assert.Equal(2, listed.Count);
        Assert.Contains(listed, l => l.HouseholdKey == "HH-00001" && l.Rule == "test.cash" && l.Reason.Contains("divided by zero", StringComparison.Ordinal));
        Assert.Contains(listed, l => l.HouseholdKey == "HH-00002" && l.Rule == "test.cash" && l.Reason == "not known: cash");
        var run = await db.AdvisoryRuns.AsNoTracking().SingleAsync();
        Assert.Equal((2, 3), (run.CouldNotEvaluate, run.Households));

        // Could-not-evaluate leaves an open alert as it is, and an entry leaves the list once the rule evaluates.
        await firm.SheetAsync(3, ("portfolio.value", 1_000_000), ("will.exists", 1));
        await firm.HoldingsAsync(2, cashShare: 1, will: true);
        var next = await firm.RunAsync();
        Assert.Equal((0, 2), (next.Resolved, next.CouldNotEvaluate));
        Assert.Equal("high", (await firm.OpenAlertAsync(3, "test.cash")).VariantKey);
        var now = await new AlertViews(db, firm.Clock).UnevaluatedAsync(await AdvisorySettingsStore.GetAsync(db), 100);
        Assert.Equal(["HH-00001", "HH-00003"], now.Select(l => l.HouseholdKey).Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ResolvedByAPerson_IsNotRaisedAgainUntilTheConditionClears(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        await firm.RunAsync();
        var alert = await firm.OpenAlertAsync(1, "test.cash");
        await using (var db = firm.OpenAnother())
        {
            Assert.True((await new AlertBook(db, firm.Clock).ResolveAsync(alert.Id, "alice", "Client keeps cash for a house purchase.")).IsSuccess);
        }

        Assert.Equal(0, (await firm.RunAsync()).Raised);

        // Fired at a more urgent variant, it is a new matter: raised, linked to the one resolved.
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        Assert.Equal(1, (await firm.RunAsync()).Raised);
        var again = await firm.OpenAlertAsync(1, "test.cash");
        Assert.Equal((alert.Id, 1, "high"), (again.PreviousAlertId, again.ReopenCount, again.VariantKey));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EvaluateHouseholds_InTheCallersTransaction_ChangesOnlyThoseHouseholds(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await firm.HoldingsAsync(1, cashShare: 5, will: true);
        await firm.HoldingsAsync(2, cashShare: 5, will: true);
        await firm.RunAsync();
        await firm.HoldingsAsync(1, cashShare: 40, will: false);
        await firm.HoldingsAsync(2, cashShare: 40, will: false);

        await using var db = firm.OpenAnother();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var result = await new AdvisoryRun(db, firm.Clock).EvaluateHouseholdsAsync([firm.Households[0]]);
            Assert.Equal((1, 2), (result.Households, result.Raised));
            await transaction.CommitAsync();
        }

        var alerts = await firm.AlertsAsync();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(firm.Households[0], a.HouseholdId));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RuleTakenOutOfTheFramework_HasItsOpenAlertsResolved(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 40, will: false);
        await firm.RunAsync();
        var will = await firm.OpenAlertAsync(1, "test.will");
        var onlyCash = AdvisoryBook.Framework[..AdvisoryBook.Framework.IndexOf("rule test.will", StringComparison.Ordinal)];
        Assert.True((await AdvisorySettingsStore.SetFrameworkAsync(firm.Db, onlyCash, "test.rules", "admin")).IsSuccess);

        var report = await firm.RunAsync();

        Assert.Equal(1, report.Resolved);
        var resolved = (await firm.AlertsAsync()).Single(a => a.Id == will.Id);
        Assert.Equal((AlertStatus.Resolved, AlertResolution.RuleRemoved), (resolved.Status, resolved.Resolution));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheSweep_RunsTheFrameworkOncePerFirmDay(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 40, will: false);

        await new global::Ensemble.Storage.Work.Sweep(firm.Db, firm.Clock).RunAsync();
        await new global::Ensemble.Storage.Work.Sweep(firm.Db, firm.Clock).RunAsync();
        firm.Clock.Advance(Duration.FromDays(1));
        await new global::Ensemble.Storage.Work.Sweep(firm.Db, firm.Clock).RunAsync();

        Assert.Equal(2, (await firm.AlertsAsync()).Count);
        await using var db = firm.OpenAnother();
        Assert.Equal(2, await db.AdvisoryRuns.CountAsync());
    }
}
