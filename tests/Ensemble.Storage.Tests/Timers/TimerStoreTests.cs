using Ensemble.Common;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Timers;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Timers;

/// <summary>The timers table as a queue: scheduling, claiming with leases, firing only under the latest claim.</summary>
public sealed class TimerStoreTests
{
    private static readonly Duration Lease = Duration.FromSeconds(30);

    private static readonly Dictionary<string, LocalDate> NoAnchors = [];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Schedule_SameKeyTwice_KeepsTheFirstAndChangesNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var due = s.Clock.GetCurrentInstant() + Duration.FromHours(1);

        var first = await StartProcessTimer.ScheduleAsync(s.Db, "review:HH-1", due, "account-review", s.Household, NoAnchors);
        var second = await StartProcessTimer.ScheduleAsync(s.Db, "review:HH-1", due + Duration.FromDays(1), "other-template", null, NoAnchors);

        Assert.True(first.Value);
        Assert.False(second.Value);
        var timer = Assert.Single(await s.Db.Timers.AsNoTracking().ToListAsync());
        Assert.Equal(due, timer.DueAt);
        Assert.Contains("account-review", timer.Payload, StringComparison.Ordinal);
        Assert.Equal(0, timer.Attempts);
        Assert.Null(timer.LeaseOwner);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Schedule_UnknownKindOrMalformedPayload_IsRefusedWhenScheduled(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var due = s.Clock.GetCurrentInstant();

        var unknown = await TimerStore.ScheduleAsync(s.Db, "a", "send-fax", "{}", due);
        var notJson = await TimerStore.ScheduleAsync(s.Db, "b", StartProcessTimer.Kind, "review-meeting", due);
        var badDate = await TimerStore.ScheduleAsync(s.Db, "c", StartProcessTimer.Kind, """{"template":"x","anchors":{"meeting":"next week"}}""", due);

        Assert.All([unknown, notJson, badDate], r => Assert.Equal(ErrorKind.Invalid, r.Error?.Kind));
        Assert.Contains("send-fax", unknown.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("meeting", badDate.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, await s.Db.Timers.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Claim_TakesOnlyDueTimers_OldestFirst_OneBatchAtATime(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var now = s.Clock.GetCurrentInstant();
        foreach (var minutes in new[] { 3, 5, 1, 4, 2 })
        {
            await Schedule(s, $"past-{minutes}", now - Duration.FromMinutes(minutes));
        }

        await Schedule(s, "future", now + Duration.FromSeconds(1));

        var first = await TimerStore.ClaimDueAsync(s.Db, "a", now, 3, Lease);
        var second = await TimerStore.ClaimDueAsync(s.Db, "b", now, 3, Lease);
        var third = await TimerStore.ClaimDueAsync(s.Db, "b", now, 3, Lease);

        Assert.Equal(["past-5", "past-4", "past-3"], first.Select(t => t.Key));
        Assert.Equal(["past-2", "past-1"], second.Select(t => t.Key));
        Assert.Empty(third);
        Assert.All(first, t => Assert.Equal(("a", now + Lease, 1), (t.LeaseOwner, t.LeaseUntil, t.Attempts)));
        Assert.Equal(now + Duration.FromSeconds(1), await TimerStore.NextDueAsync(s.Db, now));

        s.Clock.Advance(Duration.FromSeconds(1));
        Assert.Equal("future", Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 3, Lease)).Key);
        Assert.Null(await TimerStore.NextDueAsync(s.Db, s.Clock.GetCurrentInstant()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Claim_LeasedTimer_WaitsForTheLease_ThenOnlyTheLatestClaimCanFire(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await using var other = s.OpenAnother();
        await Schedule(s, "t", s.Clock.GetCurrentInstant());

        var byA = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 10, Lease));
        Assert.Empty(await TimerStore.ClaimDueAsync(other, "b", s.Clock.GetCurrentInstant(), 10, Lease));
        Assert.Null(await TimerStore.NextDueAsync(other, s.Clock.GetCurrentInstant()));

        s.Clock.Advance(Lease + Duration.FromSeconds(1));
        var byB = Assert.Single(await TimerStore.ClaimDueAsync(other, "b", s.Clock.GetCurrentInstant(), 10, Lease));

        Assert.Equal(2, byB.Attempts);
        Assert.False(await TimerStore.FireAsync(s.Db, byA, "a", s.Clock.GetCurrentInstant()));
        Assert.True(await TimerStore.FireAsync(other, byB, "b", s.Clock.GetCurrentInstant()));
        Assert.False(await TimerStore.FireAsync(other, byB, "b", s.Clock.GetCurrentInstant()));
        var fired = await s.Db.Timers.AsNoTracking().SingleAsync();
        Assert.Equal(("b", s.Clock.GetCurrentInstant()), (fired.FiredBy, fired.FiredAt));

        s.Clock.Advance(Duration.FromHours(1));
        Assert.Empty(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 10, Lease));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Release_GivesTheTimerBack_FromTheRetryTime(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await Schedule(s, "t", s.Clock.GetCurrentInstant());
        var claimed = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 10, Lease));

        var retryAt = s.Clock.GetCurrentInstant() + Duration.FromSeconds(4);
        Assert.True(await TimerStore.ReleaseAsync(s.Db, claimed, "a", retryAt, "database went away"));

        Assert.Empty(await TimerStore.ClaimDueAsync(s.Db, "b", s.Clock.GetCurrentInstant(), 10, Lease));
        s.Clock.Advance(Duration.FromSeconds(5));
        var again = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "b", s.Clock.GetCurrentInstant(), 10, Lease));
        Assert.Equal(("b", 2, "database went away"), (again.LeaseOwner, again.Attempts, again.LastError));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Claim_AmongAHundredThousandPending_ReadsOneBatchThroughTheIndex(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var now = s.Clock.GetCurrentInstant();

        // 100,000 timers due in an hour and 50 already due, written in one statement.
        var later = (now + Duration.FromHours(1)).ToDateTimeUtc();
        var earlier = (now - Duration.FromMinutes(1)).ToDateTimeUtc();
        var payload = StartProcessTimer.Payload("account-review", s.Household, NoAnchors);
        if (provider == StorageProvider.PostgreSql)
        {
            await s.Db.Database.ExecuteSqlAsync($"""
                INSERT INTO timers (key, kind, payload, due_at, attempts)
                SELECT 'bulk-' || n, 'start-process', {payload},
                       CASE WHEN n <= 50 THEN {earlier} ELSE {later} END, 0
                FROM generate_series(1, 100050) AS n
                """);
        }
        else
        {
            await s.Db.Database.ExecuteSqlAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100050)
                INSERT INTO timers (key, kind, payload, due_at, attempts)
                SELECT 'bulk-' || i, 'start-process', {payload}, CASE WHEN i <= 50 THEN {earlier} ELSE {later} END, 0 FROM n
                """);
        }

        await using var restarted = s.OpenAnother();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var next = await TimerStore.NextDueAsync(restarted, now);
        var claimed = await TimerStore.ClaimDueAsync(restarted, "restarted", now, 50, Lease);
        var nothingMore = await TimerStore.ClaimDueAsync(restarted, "restarted", now, 50, Lease);
        watch.Stop();

        Assert.Equal(now - Duration.FromMinutes(1), next);
        Assert.Equal(50, claimed.Count);
        Assert.Empty(nothingMore);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Finding and claiming the due timers took {watch.Elapsed}.");
    }

    private static async Task Schedule(PracticeScenario s, string key, Instant due)
    {
        var scheduled = await StartProcessTimer.ScheduleAsync(s.Db, key, due, "account-review", s.Household, NoAnchors);
        Assert.True(scheduled.Value);
    }
}
