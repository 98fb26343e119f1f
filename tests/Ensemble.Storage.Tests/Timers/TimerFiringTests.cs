using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Timers;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Timers;

/// <summary>Firing start-process timers: exactly once across nodes that race, and nodes that die holding a lease.</summary>
public sealed class TimerFiringTests
{
    private static readonly Duration Lease = Duration.FromSeconds(30);

    private static readonly Dictionary<string, LocalDate> NoAnchors = [];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StartProcessTimer_Fired_StartsTheProcessUnderItsTriggerKey_AndIsFiredByTheNode(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await StartProcessTimer.ScheduleAsync(s.Db, "review:HH-1", s.Clock.GetCurrentInstant(), "account-review", s.Household, NoAnchors);

        var claimed = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 10, Lease));
        var outcome = await TimerKinds.FireAsync(s.Db, s.Clock, claimed, "a");

        Assert.Equal(TimerOutcomeKind.Fired, outcome.Kind);
        Assert.Contains("Account Review", outcome.Detail, StringComparison.Ordinal);
        var instance = await s.Db.Instances.AsNoTracking().SingleAsync();
        Assert.Equal(("timer:review:HH-1", s.Household, "ensemble"), (instance.TriggerKey, instance.HouseholdId, instance.StartedBy));
        var timer = await s.Db.Timers.AsNoTracking().SingleAsync();
        Assert.Equal(("a", s.Clock.GetCurrentInstant(), (string?)null), (timer.FiredBy, timer.FiredAt, timer.LastError));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoNodesClaimingAtOnce_500DueTimers_EachFiresExactlyOnce(StorageProvider provider)
    {
        const int count = 500;
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        var start = s.Clock.GetCurrentInstant();
        await using (var transaction = await s.Db.Database.BeginTransactionAsync())
        {
            for (var n = 0; n < count; n++)
            {
                await StartProcessTimer.ScheduleAsync(s.Db, $"t-{n:000}", start + Duration.FromMilliseconds(n), "account-review", s.Household, NoAnchors);
            }

            await transaction.CommitAsync();
        }

        s.Clock.Advance(Duration.FromSeconds(1));
        await using var a = s.OpenAnother();
        await using var b = s.OpenAnother();
        var outcomes = await Task.WhenAll(Task.Run(() => DrainAsync(a, s.Clock, "a")), Task.Run(() => DrainAsync(b, s.Clock, "b")));

        Assert.Equal(count, outcomes.Sum(o => o.Count));
        Assert.All(outcomes.SelectMany(o => o), o => Assert.Equal(TimerOutcomeKind.Fired, o.Kind));
        var timers = await s.Db.Timers.AsNoTracking().ToListAsync();
        Assert.All(timers, t => Assert.NotNull(t.FiredAt));
        Assert.All(timers, t => Assert.Equal(1, t.Attempts));
        Assert.Equal(outcomes[0].Count, timers.Count(t => t.FiredBy == "a"));
        var keys = await s.Db.Instances.AsNoTracking().Select(i => i.TriggerKey).ToListAsync();
        Assert.Equal(count, keys.Count);
        Assert.Equal(timers.Select(t => "timer:" + t.Key).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NodeDiesHoldingALease_AnotherNodeReclaimsItAfterTheLease_AndFiresItOnce(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await using var survivor = s.OpenAnother();
        await StartProcessTimer.ScheduleAsync(s.Db, "t", s.Clock.GetCurrentInstant(), "account-review", s.Household, NoAnchors);
        var byDead = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "dead", s.Clock.GetCurrentInstant(), 10, Lease));

        Assert.Empty(await TimerStore.ClaimDueAsync(survivor, "survivor", s.Clock.GetCurrentInstant() + Lease, 10, Lease));
        s.Clock.Advance(Lease + Duration.FromSeconds(1));
        var reclaimed = Assert.Single(await TimerStore.ClaimDueAsync(survivor, "survivor", s.Clock.GetCurrentInstant(), 10, Lease));
        var fired = await TimerKinds.FireAsync(survivor, s.Clock, reclaimed, "survivor");

        // The "dead" node was only paused: it comes back and tries to fire its stale claim.
        var late = await TimerKinds.FireAsync(s.Db, s.Clock, byDead, "dead");

        Assert.Equal(TimerOutcomeKind.Fired, fired.Kind);
        Assert.Equal(TimerOutcomeKind.LeaseLost, late.Kind);
        Assert.Equal(1, await s.Db.Instances.CountAsync());
        var timer = await s.Db.Timers.AsNoTracking().SingleAsync();
        Assert.Equal(("survivor", 2), (timer.FiredBy, timer.Attempts));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LeaseTakenOverBeforeTheFire_TheStaleNodesStartIsRolledBack(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await using var other = s.OpenAnother();
        await StartProcessTimer.ScheduleAsync(s.Db, "t", s.Clock.GetCurrentInstant(), "account-review", s.Household, NoAnchors);
        var stale = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "slow", s.Clock.GetCurrentInstant(), 10, Lease));
        s.Clock.Advance(Lease + Duration.FromSeconds(1));
        var current = Assert.Single(await TimerStore.ClaimDueAsync(other, "fast", s.Clock.GetCurrentInstant(), 10, Lease));

        // The slow node starts the process first, but its fence fails inside the start's transaction.
        var slow = await TimerKinds.FireAsync(s.Db, s.Clock, stale, "slow");
        Assert.Equal(TimerOutcomeKind.LeaseLost, slow.Kind);
        Assert.Equal(0, await s.Db.Instances.CountAsync());
        Assert.Equal(0, await s.Db.Tasks.CountAsync());

        var fast = await TimerKinds.FireAsync(other, s.Clock, current, "fast");
        Assert.Equal(TimerOutcomeKind.Fired, fast.Kind);
        Assert.Equal("timer:t", (await s.Db.Instances.AsNoTracking().SingleAsync()).TriggerKey);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StartRefused_TheTimerIsSettledWithTheReason_AndNotRetried(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.AccountReview));
        await StartProcessTimer.ScheduleAsync(s.Db, "t", s.Clock.GetCurrentInstant(), "no-such-template", s.Household, NoAnchors);

        var claimed = Assert.Single(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 10, Lease));
        var outcome = await TimerKinds.FireAsync(s.Db, s.Clock, claimed, "a");

        Assert.Equal(TimerOutcomeKind.Refused, outcome.Kind);
        var timer = await s.Db.Timers.AsNoTracking().SingleAsync();
        Assert.NotNull(timer.FiredAt);
        Assert.Contains("no-such-template", timer.LastError, StringComparison.Ordinal);
        s.Clock.Advance(Duration.FromHours(1));
        Assert.Empty(await TimerStore.ClaimDueAsync(s.Db, "a", s.Clock.GetCurrentInstant(), 10, Lease));
        Assert.Equal(0, await s.Db.Instances.CountAsync());
    }

    /// <summary>What a node's worker does, without the sleeping: claim a small batch, fire each, until nothing is due.</summary>
    private static async Task<List<TimerOutcome>> DrainAsync(EnsembleDb db, IClock clock, string node)
    {
        var outcomes = new List<TimerOutcome>();
        while (true)
        {
            var claimed = await TimerStore.ClaimDueAsync(db, node, clock.GetCurrentInstant(), 20, Lease);
            if (claimed.Count == 0)
            {
                return outcomes;
            }

            foreach (var timer in claimed)
            {
                outcomes.Add(await TimerKinds.FireAsync(db, clock, timer, node));
            }
        }
    }
}
