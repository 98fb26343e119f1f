using System.Text;
using Ensemble.Consolidation;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Consolidation;

public sealed class ConsolidationTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SourcesThatDisagree_OpenADiscrepancy_AndAgreeingWithinACent_ClosesIt(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", "household,income\nHH-00001,180000\n");
        await SourceFiles.ImportAsync(firm, "planning", "planning.csv", "household,income\nHH-00001,200000\n");

        var open = Assert.Single((await new DiscrepancyDesk(firm.Db, firm.Clock).ListAsync("HH-00001")).Value);
        Assert.Equal(("income", "crm: 180,000.00; planning: 200,000.00"), (open.Fact, string.Join("; ", open.Values.Select(v => $"{v.Source}: {v.Value}"))));
        Assert.Equal(1d, await SheetValueAsync(firm, "discrepancies"));

        firm.Clock.Advance(Duration.FromHours(1));
        var agreed = await SourceFiles.ImportAsync(firm, "crm", "crm-2.csv", "household,income\nHH-00001,200000.004\n");

        Assert.Equal(1, agreed.Counts.DiscrepanciesClosed);
        Assert.Empty((await new DiscrepancyDesk(firm.Db, firm.Clock).ListAsync("HH-00001")).Value);
        var closed = await firm.Db.Discrepancies.AsNoTracking().SingleAsync();
        Assert.Equal((Discrepancy.SourcesAgree, "ensemble"), (closed.Resolution, closed.ResolvedBy));
        Assert.Equal(0d, await SheetValueAsync(firm, "discrepancies"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task APersonsChoice_IsAudited_AndHoldsUntilASourceSendsANewValue(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", "household,income\nHH-00001,180000\n");
        await SourceFiles.ImportAsync(firm, "planning", "planning.csv", "household,income\nHH-00001,200000\n");
        var desk = new DiscrepancyDesk(firm.Db, firm.Clock);
        var open = Assert.Single((await desk.ListAsync(null)).Value);

        var refused = await desk.ResolveAsync(open.Id, "custodian", null, "alice");
        var resolved = await desk.ResolveAsync(open.Id, "crm", null, "alice");
        var again = await desk.ResolveAsync(open.Id, "planning", null, "erin");

        Assert.False(refused.IsSuccess);
        Assert.Equal(("chose crm", "alice"), (resolved.Value.Resolution, resolved.Value.ResolvedBy));
        Assert.Equal(Common.ErrorKind.Conflict, again.Error!.Kind);
        var income = await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync(v => v.Fact == "income");
        Assert.Equal((180_000d, "crm", "alice"), (income.Value, income.Source, income.ChosenBy));
        Assert.Contains(await firm.Db.AuditEvents.AsNoTracking().Where(e => e.EntityType == nameof(Discrepancy)).ToListAsync(),
            e => e.Actor == "alice" && e.Operation == "resolve-discrepancy" && e.After!.Contains("chose crm", StringComparison.Ordinal));
        Assert.Equal(0d, await SheetValueAsync(firm, "discrepancies"));

        // Planning re-verifying its value does not undo the choice; a new planning value does, and the disagreement is back.
        firm.Clock.Advance(Duration.FromDays(1));
        await SourceFiles.ImportAsync(firm, "planning", "planning-reverified.csv", "household,income,verified_at\nHH-00001,200000,2026-11-25\n");
        Assert.Equal("alice", (await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync(v => v.Fact == "income")).ChosenBy);
        await SourceFiles.ImportAsync(firm, "planning", "planning-new.csv", "household,income\nHH-00001,210000\n");
        income = await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync(v => v.Fact == "income");
        Assert.Equal((210_000d, "planning", (string?)null), (income.Value, income.Source, income.ChosenBy));
        Assert.Single((await desk.ListAsync("HH-00001")).Value);

        // A stated value wins over every source, with the person as its lineage.
        var stated = await desk.ResolveAsync((await desk.ListAsync(null)).Value[0].Id, null, "205,000", "erin");
        Assert.Equal("chose 205,000.00", stated.Value.Resolution);
        income = await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync(v => v.Fact == "income");
        Assert.Equal((205_000d, (string?)null, "erin"), (income.Value, income.Source, income.ChosenBy));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MostRecentlyVerifiedWins_WhenTheFirmSaysSo_AndSettingsNameTheirMistakes(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        await SourceFiles.ImportAsync(firm, "custodian", "custodian.csv", "household,cash,verified_at\nHH-00001,45000,2026-11-01\n");
        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", "household,cash,verified_at\nHH-00001,52000,2026-11-20\n");
        Assert.Equal("custodian", (await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync()).Source);

        var registry = new SourceRegistry(firm.Db, firm.Clock);
        var (_, problems) = await registry.ReadSettingsAsync(Encoding.UTF8.GetBytes("""
            {
              "facts": {
                "cash": { "precedence": ["custodain"], "maxAgeMonths": 0 },
                "client.age": { "maxAgeMonths": 12 },
                "incme": {}
              }
            }
            """), "settings.json");
        Assert.Equal(
            [
                "settings.json:3:30: facts.cash.precedence[0]: \"custodain\" is not a source; the sources are crm, custodian, planning (register others with `ensemble sources add`)",
                "settings.json:3:60: facts.cash.maxAgeMonths: expected whole months from 1 to 1200, or null for a fact that never ages",
                "settings.json:4:5: facts.client.age: is worked out by Ensemble from what it holds, so no source or precedence applies",
            ],
            problems.Take(3).Select(p => p.ToString()));
        Assert.StartsWith("settings.json:5:5: facts.incme: unknown fact", problems[3].ToString(), StringComparison.Ordinal);

        var (settings, none) = await registry.ReadSettingsAsync(Encoding.UTF8.GetBytes("""{"facts": {"cash": {"mostRecentlyVerifiedWins": true}}}"""), "settings.json");
        Assert.Empty(none);
        var counts = await registry.SaveSettingsAsync(settings!, "erin");

        Assert.Equal(1, counts.ConsolidatedChanged);
        var cash = await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync();
        Assert.Equal(("crm", 52_000d), (cash.Source, cash.Value));
        Assert.Equal(3, (await ConsolidationSettingsStore.GetAsync(firm.Db)).RuleFor(FactCatalog.Default.Get("cash")).MaxAgeMonths);
        Assert.Contains(await firm.Db.AuditEvents.AsNoTracking().ToListAsync(), e => e.EntityType == nameof(ConsolidationSettingsRow) && e.Actor == "erin");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheFactSheet_HoldsConsolidatedValues_AndWhatEnsembleDerivesFromTheHousehold(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        var household = await firm.Db.Households.Include(h => h.Members).Include(h => h.Accounts).SingleAsync();
        household.UpsertMember("m1", "Ann", "Lee", new LocalDate(1961, 11, 25), Relationship.Primary, null);
        household.UpsertMember("m2", "Bo", "Lee", new LocalDate(2012, 5, 1), Relationship.Child, null);
        household.UpsertAccount("a1", "ira", "Schwab", new Common.Money(400_000m), null);
        household.UpsertAccount("a2", "checking", "Chase", new Common.Money(20_000m), null);
        firm.Db.HouseholdTiers.Add(new HouseholdTier(household.Id, ServiceTier.B, [], new LocalDate(2026, 11, 1)));
        var meeting = new Touchpoint(household.Id, 2026, 1, TouchpointKind.Review, new LocalDateTime(2026, 6, 3, 10, 0), 60, null, null);
        meeting.MarkHeld(Instant.FromUtc(2026, 6, 3, 15, 0), null);
        firm.Db.Touchpoints.Add(meeting);
        await firm.Db.SaveChangesAsync();
        firm.Db.ChangeTracker.Clear();

        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", """
            household,client.birth_date,income,will.exists,verified_at
            HH-00001,1961-11-20,180000,no,2024-06-01
            """);

        var sheet = await SheetAsync(firm);
        var catalog = FactCatalog.Default;
        double Fact(string key) => sheet[catalog.Get(key).Ordinal];
        Assert.Equal(FactSheet.FromDate(new LocalDate(1961, 11, 20)), Fact("client.birth_date"));
        Assert.Equal(65d, Fact("client.age"));             // from the CRM's birth date, which the primary member now holds too (the record said 1961-11-25)
        Assert.Equal((2d, 1d), (Fact("members"), Fact("dependants")));
        Assert.Equal(400_000d, Fact("investable_assets")); // the checking account is not investable
        Assert.Equal(FactSheet.FromDate(new LocalDate(2026, 6, 3)), Fact("touchpoint.last_held_on"));
        Assert.Equal(1d, Fact("stale_facts"));              // verified 2024-06-01: income (12 months) is stale, will.exists (36 months) is not
        Assert.Equal(0d, Fact("will.exists"));
        Assert.Equal((3d, 1d), (Fact("tier"), Fact("stage"))); // client; the stored B was decided again from the new birth date and income: too few facts known, unsegmented
        Assert.True(double.IsNaN(Fact("cash")));

        var row = await firm.Db.FactSheets.AsNoTracking().SingleAsync();
        Assert.Equal((3, 1), (row.KnownFacts, row.StaleFacts));
        Assert.Equal(1, await new SourceRegistry(firm.Db, firm.Clock).RebuildSheetsAsync());
        Assert.Equal(sheet, await SheetAsync(firm));
    }

    private static async Task<double[]> SheetAsync(FirmBuilder firm)
    {
        var row = await firm.Db.FactSheets.AsNoTracking().SingleAsync();
        var sheet = FactSheet.Empty(FactCatalog.Default);
        FactSheet.Unpack(row.Sheet, sheet);
        return sheet;
    }

    private static async Task<double> SheetValueAsync(FirmBuilder firm, string fact) => (await SheetAsync(firm))[FactCatalog.Default.Get(fact).Ordinal];
}
