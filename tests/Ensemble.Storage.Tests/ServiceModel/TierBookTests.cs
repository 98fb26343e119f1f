using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.ServiceModel;

public sealed class TierBookTests
{
    /// <summary>Facts that meet A on all eight criteria for a primary client aged 50.</summary>
    private static readonly StatedFacts TierAFacts = new(
        new Money(3_000_000m), new Money(1_500_000m), new Money(450_000m), new Money(12_000m), new Money(15_000m), 3, 5);

    /// <summary>Facts that meet B (and not A) on every criterion except age.</summary>
    private static readonly StatedFacts TierBFacts = new(
        new Money(900_000m), new Money(600_000m), new Money(300_000m), new Money(6_000m), new Money(7_000m), 2, 3);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Recompute_StoresEveryHouseholdsTier_AndARepeatWritesNothing(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 4);
        await SetFactsAsync(firm, 1, TierAFacts, age: 50);
        await SetFactsAsync(firm, 2, TierBFacts, age: 50);
        var book = new TierBook(firm.Db, firm.Clock);

        var first = await book.RecomputeAsync();
        var events = await firm.Db.AuditEvents.CountAsync();
        var again = await book.RecomputeAsync();

        Assert.Equal(4, first.Decided);
        Assert.Equal(4, first.FirstDecisions);
        Assert.Equal(1, first.ByTier[ServiceTier.A]);
        Assert.Equal(1, first.ByTier[ServiceTier.B]);
        Assert.Equal(2, first.ByTier[ServiceTier.Unsegmented]);
        Assert.Equal(0, again.FirstDecisions);
        Assert.Equal(0, again.Moved);
        Assert.Equal(events, await firm.Db.AuditEvents.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task HouseholdWithFactsMissing_IsStoredUnsegmentedWithTheMissingFactsNamed(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var book = new TierBook(firm.Db, firm.Clock);

        await book.RecomputeAsync();

        var row = await firm.Db.HouseholdTiers.AsNoTracking().SingleAsync();
        Assert.Equal(ServiceTier.Unsegmented, row.Computed);
        Assert.Contains(nameof(TierCriterion.NetWorth), row.Missing);
        Assert.Contains(nameof(TierCriterion.Age), row.Missing);
        Assert.DoesNotContain(nameof(TierCriterion.InvestableAssets), row.Missing);
        var view = await book.ExplainAsync("HH-00001");
        Assert.Contains(view!.Decision.Explain(), l => l.StartsWith("Missing facts: net worth", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FactsThatChange_MoveTheHousehold_AndTheMoveIsReportedAndInTheAuditTrail(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        await SetFactsAsync(firm, 1, TierBFacts, age: 50);
        var book = new TierBook(firm.Db, firm.Clock);
        await book.RecomputeAsync();
        var since = firm.Clock.GetCurrentInstant();
        firm.Clock.Advance(Duration.FromMinutes(1));

        await SetFactsAsync(firm, 1, TierAFacts, age: 50);
        var report = await book.RecomputeAsync();
        var changes = await book.ChangesAsync(since);

        var move = Assert.Single(report.Moves);
        Assert.Equal(("HH-00001", ServiceTier.B, ServiceTier.A, ServiceTier.A), (move.Key, move.From, move.To, move.InForce));
        var change = Assert.Single(changes);
        Assert.Equal(("HH-00001", "moved", "B", "A"), (change.Key, change.What, change.From, change.To));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Override_NeedsAReason_HoldsUntilItsLastDay_AndIsAudited(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SetFactsAsync(firm, 1, TierBFacts, age: 50);
        var book = new TierBook(firm.Db, firm.Clock);
        var since = firm.Clock.GetCurrentInstant();
        var today = new LocalDate(2026, 11, 24);

        var refused = await book.OverrideAsync("HH-00001", ServiceTier.A, "  ", null, "erin");
        var set = await book.OverrideAsync("HH-00001", ServiceTier.A, "Inheritance arriving in the spring", today.PlusDays(10), "erin");

        Assert.False(refused.IsSuccess);
        Assert.Equal((ServiceTier.A, ServiceTier.B), (set.Value.Tier, set.Value.Computed));
        var change = Assert.Single(await book.ChangesAsync(since), c => c.What == "overridden");
        Assert.Equal(("erin", "A", "Inheritance arriving in the spring"), (change.Actor, change.To, change.Reason));

        firm.Clock.Advance(Duration.FromDays(11));
        var lapsed = await book.ExplainAsync("HH-00001");
        Assert.Equal(ServiceTier.B, lapsed!.Decision.Tier);
        Assert.Contains(lapsed.Decision.Explain(), l => l.Contains("expired", StringComparison.Ordinal));

        var cleared = await book.ClearOverrideAsync("HH-00001", "erin");
        Assert.Null(cleared.Value.OverrideNote);
        Assert.Contains(await book.ChangesAsync(since), c => c.What == "override cleared");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FirmEditedModel_IsStored_AndDecidesTheNextRecompute(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SetFactsAsync(firm, 1, TierBFacts, age: 50);
        var book = new TierBook(firm.Db, firm.Clock);
        await book.RecomputeAsync();
        Assert.Equal(ServiceTier.B, (await firm.Db.HouseholdTiers.AsNoTracking().SingleAsync()).Computed);

        // The firm asks only 4 of 8 criteria and lowers A's net worth and assets bands so this household qualifies.
        var seed = TierModel.Default;
        var edited = ServiceSettings.Default with
        {
            TierModel = seed with
            {
                RequiredCriteria = 4,
                A = seed.A with { NetWorth = new MoneyBand(800_000m), InvestableAssets = new MoneyBand(550_000m), HouseholdIncome = new MoneyBand(280_000m) },
                B = seed.B with { NetWorth = new MoneyBand(500_000m, 800_000m), InvestableAssets = new MoneyBand(500_000m, 550_000m), HouseholdIncome = new MoneyBand(250_000m, 280_000m) },
            },
        };
        firm.Db.Actor = "erin";
        Assert.True((await ServiceSettingsStore.SaveAsync(firm.Db, edited)).IsSuccess);
        var report = await book.RecomputeAsync();

        Assert.Equal(ServiceTier.A, Assert.Single(report.Moves).To);
        Assert.Equal(4, (await ServiceSettingsStore.GetAsync(firm.Db)).TierModel.RequiredCriteria);
        Assert.Equal(1, await firm.Db.AuditEvents.CountAsync(e => e.EntityType == nameof(ServiceSettingsRow) && e.Actor == "erin"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SettingsWithAGapInTheBands_AreRefusedAndNothingIsStored(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        var seed = TierModel.Default;
        var gap = ServiceSettings.Default with { TierModel = seed with { C = seed.C with { NetWorth = new MoneyBand(150_000m, 400_000m) } } };

        var result = await ServiceSettingsStore.SaveAsync(firm.Db, gap);

        Assert.False(result.IsSuccess);
        Assert.Contains("tierModel.c.netWorth.below", result.Error!.Message, StringComparison.Ordinal);
        Assert.False(await firm.Db.ServiceSettings.AnyAsync());
    }

    [Fact]
    public void DefaultSettings_SurviveTheirStoredForm()
    {
        var text = ServiceSettingsStore.Serialize(ServiceSettings.Default);
        var back = ServiceSettingsStore.Parse(text);

        Assert.Equal(ServiceSettingsStore.Serialize(back), text);
        Assert.Equal(ServiceSettings.Default.TierModel.B.Ages, back.TierModel.B.Ages);
        Assert.Equal(4, back.PlanFor(ServiceTier.A).Count);
        Assert.Equal(new LocalTime(9, 0), back.FirstMeetingAt);
    }

    private static async Task SetFactsAsync(FirmBuilder firm, int number, StatedFacts facts, int age)
    {
        var key = $"HH-{number:00000}";
        var household = await firm.Db.Households.Include(h => h.Members).SingleAsync(h => h.Key == key);
        household.SetStatedFacts(facts);
        household.UpsertMember("P1", "Pat", "Client", new LocalDate(2026 - age, 1, 2), Relationship.Primary, null);
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
    }
}
