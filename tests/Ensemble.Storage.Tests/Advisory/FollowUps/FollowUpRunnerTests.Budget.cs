using Ensemble.Advisory.FollowUp;
using Ensemble.Storage.Advisory;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>The noise budget: a cap per person per day, the rest in their digest ranked, a fresh budget the next day.</summary>
public sealed partial class FollowUpRunnerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheBudget_GivesAPersonTheirMostUrgentTasksUpToTheCap_DigestsTheRestRanked_AndIsFreshTheNextDay(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 5);
        await firm.BudgetAsync(1);

        // Every type urgent and advice-sensitive, so every follow-up is a call for dan, at three ranks.
        await firm.MoveAsync("test.cash/high", 90, 60);
        await firm.MoveAsync("test.cash/some", 70, 90);
        await firm.HoldingsAsync(1, cashShare: 40, will: true);  // 90/60
        await firm.HoldingsAsync(2, cashShare: 15, will: true);  // 70/90
        await firm.HoldingsAsync(3, cashShare: 5, will: false);  // 50/80
        await firm.HoldingsAsync(4, cashShare: 5, will: false);  // 50/80

        var first = await firm.RunBothAsync();

        Assert.Equal((4, 1, 3), (first.Decided, first.TasksStarted, first.ToDigest));
        var day1 = firm.Now().InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date;
        var top = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpStatus.TaskStarted, firm.Staff["dan"], (LocalDate?)day1), (top.Status, top.AssigneeId, top.TaskOn));
        await using (var db = firm.OpenAnother())
        {
            var digest = await new FollowUpViews(db).DigestAsync(await AdvisorySettingsStore.GetAsync(db), firm.Staff["dan"]);
            Assert.Equal(["HH-00002", "HH-00003", "HH-00004"], digest.Select(d => d.HouseholdKey).ToArray());
            Assert.All(digest, d => Assert.Equal(day1, d.DigestOn));
            var notice = await db.Notifications.AsNoTracking().SingleAsync(n => n.StaffId == firm.Staff["dan"] && n.Kind == "follow-up-digest");
            Assert.Contains("3 alerts waiting", notice.Title, StringComparison.Ordinal);
        }

        // Later the same day a new alert for dan: the day's budget is spent, so it joins the digest.
        await firm.HoldingsAsync(5, cashShare: 5, will: false);
        var later = await firm.RunBothAsync();
        Assert.Equal((1, 0, 1), (later.Decided, later.TasksStarted, later.ToDigest));

        // The next day the budget is fresh: the highest-ranked waiting follow-up becomes a task; the rest stay, re-dated.
        firm.Clock.Advance(Duration.FromDays(1));
        var next = await firm.FollowUpAsync();

        Assert.Equal((0, 1, 3), (next.Decided, next.TasksStarted, next.ToDigest));
        var promoted = await firm.FollowUpOfAsync(2, "test.cash");
        Assert.Equal((FollowUpStatus.TaskStarted, (LocalDate?)day1.PlusDays(1), (LocalDate?)day1), (promoted.Status, promoted.TaskOn, promoted.DigestOn));
        var waiting = (await firm.FollowUpsAsync()).Where(f => f.Status == FollowUpStatus.InDigest).ToList();
        Assert.Equal(3, waiting.Count);
        Assert.All(waiting, f => Assert.Equal(day1.PlusDays(1), f.DigestOn));
        await using (var db = firm.OpenAnother())
        {
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.StaffId == firm.Staff["dan"] && n.Kind == "follow-up-digest"));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TakingUpFromTheDigest_StartsTheTaskNow_WithoutSpendingTheBudget(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 5);
        await firm.BudgetAsync(2);
        for (var n = 1; n <= 4; n++)
        {
            await firm.HoldingsAsync(n, cashShare: 5, will: false);
        }

        await firm.RunBothAsync();
        var waiting = (await firm.FollowUpsAsync()).First(f => f.Status == FollowUpStatus.InDigest);

        await using (var db = firm.OpenAnother())
        {
            var taken = await new FollowUpBook(db, firm.Clock).TakeUpAsync(waiting.Id, "dan");
            Assert.True(taken.IsSuccess, taken.Error?.Message);
            Assert.Equal((FollowUpStatus.TaskStarted, "dan", "dan"), (taken.Value.Status, taken.Value.TakenUpBy, taken.Value.Assignee));
            var again = await new FollowUpBook(db, firm.Clock).TakeUpAsync(waiting.Id, "dan");
            Assert.Equal(Common.ErrorKind.Conflict, again.Error!.Kind);
        }

        var n1 = firm.Households.IndexOf(waiting.HouseholdId) + 1;
        Assert.Equal((FollowUpRoute.AdviceMeetingTemplate, global::Ensemble.Practice.RoleKeys.WealthPartner, firm.Staff["dan"]), await firm.FirstTaskAsync(await firm.FollowUpOfAsync(n1, "test.will")));

        // Raising the budget to 3 the same day leaves room for one more: the two given count, the one taken up does not.
        await firm.BudgetAsync(3);
        await firm.HoldingsAsync(5, cashShare: 5, will: false);
        var later = await firm.RunBothAsync();
        Assert.Equal((1, 1, 0), (later.Decided, later.TasksStarted, later.ToDigest));
    }
}
