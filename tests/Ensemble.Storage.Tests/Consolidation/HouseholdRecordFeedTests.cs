using Ensemble.Consolidation;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Consolidation;

public sealed class HouseholdRecordFeedTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ConsolidatedIncomeNetWorthAndBirthDates_ReachTheHouseholdRecord_AuditedAndTiered(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await AddCoupleAsync(firm);
        await SourceFiles.RegisterAsync(firm);

        await SourceFiles.ImportAsync(firm, "crm", "crm.csv",
            "household,income,net_worth,client.birth_date,spouse.birth_date\nHH-00001,450000,\"2,600,000.50\",1970-05-01,1972-03-03\n");

        var household = await LoadAsync(firm);
        Assert.Equal((450_000m, 2_600_000.50m), (household.Stated.HouseholdIncome!.Value.Amount, household.Stated.NetWorth!.Value.Amount));
        Assert.Equal(new LocalDate(1970, 5, 1), household.Members.Single(m => m.Relationship == Relationship.Primary).BirthDate);
        Assert.Equal(new LocalDate(1972, 3, 3), household.Members.Single(m => m.Relationship == Relationship.Spouse).BirthDate);

        var events = await firm.Db.AuditEvents.AsNoTracking().Where(e => e.Operation == "import-source" && (e.EntityType == nameof(Household) || e.EntityType == nameof(Member))).ToListAsync();
        var changed = Assert.Single(events, e => e.EntityType == nameof(Household));
        Assert.Equal(("erin", """{"Stated.HouseholdIncome":null,"Stated.NetWorth":null}""", """{"Stated.HouseholdIncome":450000,"Stated.NetWorth":2600000.5}"""),
            (changed.Actor, changed.Before, changed.After));
        Assert.Equal(2, events.Count(e => e.EntityType == nameof(Member) && e.After!.Contains("BirthDate", StringComparison.Ordinal)));
        Assert.True((await new global::Ensemble.Storage.Audit.AuditTrail(firm.Db).VerifyAsync()).IsIntact);

        // Tiering read the consolidated facts in the same import, and the fact sheet carries the tier it decided.
        var tier = await firm.Db.HouseholdTiers.AsNoTracking().SingleAsync();
        Assert.DoesNotContain(nameof(TierCriterion.HouseholdIncome), tier.Missing);
        Assert.DoesNotContain(nameof(TierCriterion.NetWorth), tier.Missing);
        Assert.DoesNotContain(nameof(TierCriterion.Age), tier.Missing);
        var sheet = FactSheet.Empty(FactCatalog.Default);
        FactSheet.Unpack((await firm.Db.FactSheets.AsNoTracking().SingleAsync()).Sheet, sheet);
        Assert.Equal((double)(int)tier.Computed, sheet[FactCatalog.Default.Get("tier").Ordinal]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheRecordFollowsTheSourceOfTruth_NotTheLastFile_AndAPersonsChoice(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);

        // Income: planning over crm by default, so crm arriving later does not move the record.
        await SourceFiles.ImportAsync(firm, "planning", "planning.csv", "household,income\nHH-00001,200000\n");
        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", "household,income\nHH-00001,180000\n");
        Assert.Equal(200_000m, (await LoadAsync(firm)).Stated.HouseholdIncome!.Value.Amount);
        var written = await HouseholdEventsAsync(firm);

        // Nothing new decided, nothing written.
        firm.Clock.Advance(Duration.FromHours(1));
        await SourceFiles.ImportAsync(firm, "crm", "crm-again.csv", "household,income,verified_at\nHH-00001,180000,2026-11-20\n");
        Assert.Equal(written, await HouseholdEventsAsync(firm));

        var desk = new DiscrepancyDesk(firm.Db, firm.Clock);
        var open = Assert.Single((await desk.ListAsync("HH-00001")).Value);
        Assert.True((await desk.ResolveAsync(open.Id, "crm", null, "alice")).IsSuccess);
        Assert.Equal(180_000m, (await LoadAsync(firm)).Stated.HouseholdIncome!.Value.Amount);
        var chosen = (await firm.Db.AuditEvents.AsNoTracking().Where(e => e.EntityType == nameof(Household)).OrderBy(e => e.Sequence).ToListAsync()).Last();
        Assert.Equal(("alice", "resolve-discrepancy"), (chosen.Actor, chosen.Operation));
    }

    private static async Task AddCoupleAsync(FirmBuilder firm)
    {
        var household = await firm.Db.Households.Include(h => h.Members).SingleAsync();
        household.UpsertMember("P1", "Pat", "Client", null, Relationship.Primary, null);
        household.UpsertMember("S1", "Sam", "Client", new LocalDate(1971, 1, 1), Relationship.Spouse, null);
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();
    }

    private static async Task<Household> LoadAsync(FirmBuilder firm)
    {
        firm.Db.ChangeTracker.Clear();
        return await firm.Db.Households.AsNoTracking().Include(h => h.Members).SingleAsync();
    }

    private static Task<int> HouseholdEventsAsync(FirmBuilder firm) =>
        firm.Db.AuditEvents.AsNoTracking().CountAsync(e => e.EntityType == nameof(Household));
}
