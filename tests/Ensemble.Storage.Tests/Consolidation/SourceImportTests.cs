using Ensemble.Consolidation;
using Ensemble.Storage.Consolidation;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Consolidation;

public sealed class SourceImportTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportCsv_KeepsEachValueWithItsLineage_AndConsolidatesByTheFactsPrecedence(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 2);
        await SourceFiles.RegisterAsync(firm);
        var arrived = firm.Clock.GetCurrentInstant();

        var crm = await SourceFiles.ImportAsync(firm, "crm", "crm.csv", """
            household,income,will.exists,mortgage.fixed_rate_ends,verified_at
            HH-00001,"180,000",yes,2027-03-31,2026-10-01
            HH-00002,95000,no,,2026-10-01
            """);
        firm.Clock.Advance(Duration.FromHours(1));
        await SourceFiles.ImportAsync(firm, "planning", "planning.csv", """
            household,income,tax.bracket
            HH-00001,200000.50,35%
            """);

        Assert.Equal((2, 5), (crm.Entries, crm.Values));
        var values = await firm.Db.SourceValues.AsNoTracking().Where(v => v.HouseholdId == firm.Households[0]).ToListAsync();
        var fromCrm = Assert.Single(values, v => v.Fact == "income" && v.Source == "crm");
        Assert.Equal(180_000d, fromCrm.Value);
        Assert.Equal(arrived, fromCrm.ArrivedAt);
        Assert.Equal(Instant.FromUtc(2026, 10, 1, 4, 0), fromCrm.VerifiedAt);
        Assert.Equal(FactSheet.FromDate(new LocalDate(2027, 3, 31)), values.Single(v => v.Fact == "mortgage.fixed_rate_ends").Value);

        // income: planning over crm (the catalog's default).
        var income = await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync(v => v.HouseholdId == firm.Households[0] && v.Fact == "income");
        Assert.Equal(("planning", 200_000.50), (income.Source, income.Value));
        Assert.Equal(35d, (await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync(v => v.Fact == "tax.bracket")).Value);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportJson_ReadsTheSameShape_AndTheFactsViewShowsEverySourceWithItsFile(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);

        await SourceFiles.ImportAsync(firm, "custodian", "positions.json", """
            [
              {"household": "HH-00001", "verified_at": "2026-11-20", "facts": {"cash": 45000, "portfolio.equity": "62%", "mortgage.balance": "310,000.00"}}
            ]
            """);
        await SourceFiles.ImportAsync(firm, "crm", "crm.json", """[{"household": "HH-00001", "facts": {"cash": 40000, "will.exists": true}}]""");

        var view = (await new HouseholdFactsReader(firm.Db, firm.Clock).ReadAsync("HH-00001")).Value;
        var cash = view.Facts.Single(f => f.Fact == "cash");
        Assert.Equal(("45,000.00", "custodian"), (cash.Value, cash.Source));
        Assert.Equal(["crm", "custodian"], cash.Sources.Select(s => s.Source));
        Assert.Equal("positions.json", cash.Sources.Single(s => s.Winner).File);
        Assert.NotNull(cash.OpenDiscrepancy);
        Assert.Equal("yes", view.Facts.Single(f => f.Fact == "will.exists").Value);
        Assert.Equal("62%", view.Facts.Single(f => f.Fact == "portfolio.equity").Value);
        Assert.Equal(4, view.Known);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportingTheSameFileAgain_ChangesNothing_AndASourceReVerifyingAValueOnlyMovesItsVerification(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        const string File = """
            household,income,verified_at
            HH-00001,180000,2026-10-01
            """;
        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", File);
        var events = await firm.Db.AuditEvents.CountAsync();
        var before = await firm.Db.SourceValues.AsNoTracking().SingleAsync();
        firm.Clock.Advance(Duration.FromDays(1));

        var again = await SourceFiles.ImportAsync(firm, "crm", "crm-copy.csv", File);
        Assert.True(again.AlreadyImported);
        Assert.Equal(events, await firm.Db.AuditEvents.CountAsync());
        Assert.Equal(1, await firm.Db.SourceImports.CountAsync());

        var reverified = await SourceFiles.ImportAsync(firm, "crm", "crm-nov.csv", """
            household,income,verified_at
            HH-00001,180000,2026-11-20
            """);
        var after = await firm.Db.SourceValues.AsNoTracking().SingleAsync();
        Assert.Equal((0, 0, 1), (reverified.Counts.ValuesCreated, reverified.Counts.ValuesChanged, reverified.Counts.ValuesReverified));
        Assert.Equal(before.ArrivedAt, after.ArrivedAt);
        Assert.Equal(Instant.FromUtc(2026, 11, 20, 5, 0), after.VerifiedAt);
        Assert.Equal(after.VerifiedAt, (await firm.Db.ConsolidatedValues.AsNoTracking().SingleAsync()).VerifiedAt);

        // An older verification of a different value does not replace what the source said later.
        var older = await SourceFiles.ImportAsync(firm, "crm", "crm-old.csv", """
            household,income,verified_at
            HH-00001,150000,2026-01-01
            """);
        Assert.Equal(1, older.Counts.ValuesOlder);
        Assert.Equal(180_000d, (await firm.Db.SourceValues.AsNoTracking().SingleAsync()).Value);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WhenRowsAreMalformed_ReportsEveryProblemWithLineAndColumn_AndAppliesNothing(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        var intake = new SourceIntake(firm.Db, firm.Clock);

        var csv = await intake.ImportFileAsync("planning", SourceFiles.Write("planning.csv", """
            household,income,will.exists,mortgage.fixed_rate_ends
            HH-00001,lots,yes,2027-02-30
            HH-09999,100000,maybe,
            HH-00001,,no,2027-01-01
            """), "erin");
        var json = await intake.ImportFileAsync("planning", SourceFiles.Write("planning.json", """
            [
              {"household": "HH-00001", "facts": {"income": 100000, "client.age": 52}},
              {"household": "HH-00001", "facts": {"incme": 1, "will.exists": "sometimes"}}
            ]
            """), "erin");
        var derived = await intake.ImportFileAsync("planning", SourceFiles.Write("derived.csv", """
            household,income,stale_facts
            HH-00001,100000,3
            """), "erin");
        var broken = await intake.ImportFileAsync("planning", SourceFiles.Write("broken.json", """
            [{"household": "HH-00001", "facts": {"income": 1}
            """), "erin");

        Assert.Equal(
            [
                "planning.csv:2:2: income: \"lots\" is not an amount (expected a number such as 250000 or 250,000.50)",
                "planning.csv:2:4: mortgage.fixed_rate_ends: \"2027-02-30\" is not a date (expected yyyy-MM-dd)",
                "planning.csv:3:1: household: household \"HH-09999\" does not exist (import households first)",
                "planning.csv:3:3: will.exists: \"maybe\" is not yes or no (true/false and 1/0 also work)",
                "planning.csv:4:3: will.exists: will.exists for household \"HH-00001\" is given again (first on line 2)",
            ],
            csv.Value.Errors.Select(e => e.ToString()));
        Assert.Equal(
            [
                "planning.json:2:57: client.age: is worked out by Ensemble from what it holds; a source cannot send it",
                "planning.json:3:39: incme: unknown fact; see `ensemble sources settings show` for the facts a source may send",
                "planning.json:3:66: will.exists: \"sometimes\" is not yes or no (true/false and 1/0 also work)",
            ],
            json.Value.Errors.Select(e => e.ToString()));
        Assert.Equal(["derived.csv:1:3: stale_facts: is worked out by Ensemble from what it holds; a source cannot send it"], derived.Value.Errors.Select(e => e.ToString()));
        Assert.Equal(1, broken.Value.Errors.Single().Line);
        Assert.Equal(0, await firm.Db.SourceValues.CountAsync());
        Assert.Equal(0, await firm.Db.SourceImports.CountAsync());
        Assert.False((await intake.ImportFileAsync("erp", SourceFiles.Write("x.csv", "household\n"), "erin")).IsSuccess);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASmallImport_RaisesTheAlertsItsNewFactsCall_WithoutWaitingForTheNightlyRun(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 1);
        await SourceFiles.RegisterAsync(firm);
        var today = firm.Clock.GetCurrentInstant().InUtc().Date;

        await SourceFiles.ImportAsync(firm, "crm", "crm.csv", $"""
            household,mortgage.fixed_rate_ends,mortgage.balance
            HH-00001,{today.PlusDays(10):yyyy-MM-dd},250000
            """);

        var alert = await firm.Db.Alerts.AsNoTracking().SingleAsync(a => a.HouseholdId == firm.Households[0] && a.RuleKey == "mortgage.rate-ending");
        Assert.Equal("within-14-days", alert.VariantKey);
    }
}
