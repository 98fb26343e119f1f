using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory;

public sealed class AlertLifecycleTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PeopleMoveAnAlertAlong_EachMoveInItsHistoryAndInTheAuditTrail(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.RunAsync();
        var alert = await firm.OpenAlertAsync(1, "test.cash");
        await using var db = firm.OpenAnother();
        var book = new AlertBook(db, firm.Clock);

        Assert.True((await book.AcknowledgeAsync(alert.Id, "alice")).IsSuccess);
        Assert.True((await book.FollowUpAsync(alert.Id, "alice", "Calling them on Monday.")).IsSuccess);
        var resolved = await book.ResolveAsync(alert.Id, "dan", "Moved $300k into the model portfolio.");

        Assert.True(resolved.IsSuccess, resolved.Error?.Message);
        Assert.Equal((AlertStatus.Resolved, AlertResolution.ByPerson, "Moved $300k into the model portfolio."), (resolved.Value.Status, resolved.Value.Resolution, resolved.Value.ResolutionNote));
        Assert.Equal(
            [(AlertChange.Acknowledged, "alice"), (AlertChange.FollowUp, "alice"), (AlertChange.Resolved, "dan")],
            resolved.Value.History.Select(h => (h.What, h.Actor)).ToArray());
        var audited = await db.AuditEvents.AsNoTracking().Where(e => e.EntityType == nameof(Alert)).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["acknowledged", "follow-up", "resolved"], audited.Select(e => e.Action).ToArray());
        Assert.All(audited, e => Assert.Equal((firm.Households[0].Value, alert.Id.ToString()), (e.HouseholdId!.Value, e.EntityId)));
        Assert.Contains("\"Title\":\"Cash above target\"", audited[0].After!, StringComparison.Ordinal);
        Assert.Equal(("dan", "resolve-alert"), (audited[2].Actor, audited[2].Operation));
        Assert.True(await new global::Ensemble.Storage.Audit.AuditTrail(db).VerifyAsync() is { IsIntact: true });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task IllegalMove_IsRefusedClearly_AndChangesNothing(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.RunAsync();
        var alert = await firm.OpenAlertAsync(1, "test.cash");
        await using var db = firm.OpenAnother();
        var book = new AlertBook(db, firm.Clock);
        await book.FollowUpAsync(alert.Id, "alice", null);

        var acknowledge = await book.AcknowledgeAsync(alert.Id, "alice");
        var resolveWithoutNote = await book.ResolveAsync(alert.Id, "alice", " ");
        var missing = await book.AcknowledgeAsync(new AlertId(987_654), "alice");

        Assert.Equal(ErrorKind.Conflict, acknowledge.Error!.Kind);
        Assert.Contains("in follow-up and cannot be acknowledged", acknowledge.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Invalid, resolveWithoutNote.Error!.Kind);
        Assert.StartsWith("note:", resolveWithoutNote.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.NotFound, missing.Error!.Kind);
        var now = await firm.OpenAlertAsync(1, "test.cash");
        Assert.Equal((AlertStatus.InFollowUp, 1), (now.Status, now.Version));
        Assert.Single(await firm.HistoryAsync(alert.Id));

        await book.ResolveAsync(alert.Id, "alice", "Done.");
        var resolvedAgain = await book.ResolveAsync(alert.Id, "alice", "Again.");
        Assert.Equal(ErrorKind.Conflict, resolvedAgain.Error!.Kind);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Snoozed_StaysQuietUntilItsDay_ThenIsBackAsItWas(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 15, will: true);
        await firm.RunAsync();
        var alert = await firm.OpenAlertAsync(1, "test.cash");
        await using var db = firm.OpenAnother();
        var book = new AlertBook(db, firm.Clock);
        await book.AcknowledgeAsync(alert.Id, "alice");
        var today = new LocalDate(2026, 11, 24);

        var past = await book.SnoozeAsync(alert.Id, today, "alice", null);
        var snoozed = await book.SnoozeAsync(alert.Id, today.PlusDays(7), "alice", "Client travelling.");

        Assert.Equal(ErrorKind.Invalid, past.Error!.Kind);
        Assert.True(snoozed.Value.Snoozed);
        var views = new AlertViews(db, firm.Clock);
        var settings = await AdvisorySettingsStore.GetAsync(db);
        Assert.Empty(await views.ListAsync(settings, new AlertFilter(), 10));
        Assert.Single(await views.ListAsync(settings, new AlertFilter(Status: AlertListStatus.Snoozed), 10));

        // While snoozed the run leaves it alone, even as its variant would move.
        await firm.HoldingsAsync(1, cashShare: 45, will: true);
        Assert.Equal(0, (await firm.RunAsync()).VariantChanged);
        Assert.Equal("some", (await firm.OpenAlertAsync(1, "test.cash")).VariantKey);

        firm.Clock.Advance(Duration.FromDays(7));
        var back = Assert.Single(await views.ListAsync(settings, new AlertFilter(), 10));
        Assert.Equal((alert.Id.Value, AlertStatus.Acknowledged, false), (back.Id, back.Status, back.Snoozed));
        Assert.Equal(1, (await firm.RunAsync()).VariantChanged);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FrameworkWithATypeError_IsRefusedWithLineAndColumn_AndNothingChanges(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await using var db = firm.OpenAnother();
        var before = await db.AdvisorySettings.AsNoTracking().SingleAsync();
        var events = await db.AuditEvents.CountAsync();
        var broken = AdvisoryBook.Framework.Replace("when not known_or(will.exists, no)", "when will.exists + 1", StringComparison.Ordinal);

        var saved = await AdvisorySettingsStore.SetFrameworkAsync(db, broken, "firm.rules", "erin");

        Assert.Equal(ErrorKind.Invalid, saved.Error!.Kind);
        Assert.Matches(@"^firm\.rules:13:\d+: ", saved.Error.Message);
        var after = await db.AdvisorySettings.AsNoTracking().SingleAsync();
        Assert.Equal((before.Version, before.Document), (after.Version, after.Document));
        Assert.Equal(events, await db.AuditEvents.CountAsync());
        Assert.Equal(2, (await AdvisorySettingsStore.GetAsync(db)).Framework.Rules.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MovingATypeOnTheCanvas_ReranksTheList_AndIsAudited(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 1);
        await firm.HoldingsAsync(1, cashShare: 15, will: false);
        await firm.RunAsync();
        await using var db = firm.OpenAnother();
        var views = new AlertViews(db, firm.Clock);
        Assert.Equal(["test.will", "test.cash/some"], (await views.ListAsync(await AdvisorySettingsStore.GetAsync(db), new AlertFilter(), 10)).Select(a => a.Type).ToArray());

        var moved = await AdvisorySettingsStore.MoveTypeAsync(db, "test.cash/some", new CanvasPosition(90, 20), "erin");

        Assert.True(moved.IsSuccess, moved.Error?.Message);
        Assert.Equal(["test.cash/some", "test.will"], (await views.ListAsync(await AdvisorySettingsStore.GetAsync(db), new AlertFilter(), 10)).Select(a => a.Type).ToArray());
        Assert.Equal(ErrorKind.Invalid, (await AdvisorySettingsStore.MoveTypeAsync(db, "test.will", new CanvasPosition(120, 20), "erin")).Error!.Kind);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.EntityType == nameof(AdvisorySettingsRow) && e.Operation == "move-alert-type" && e.Actor == "erin"));
    }
}
