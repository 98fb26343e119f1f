using Ensemble.Households;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Import;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Import;

public sealed class HouseholdImportTests
{
    private const string Households = """
        household_id,name,stage,net_worth,investable_assets,household_income,recurring_revenue,referrals_given,preferred_channels,do_not_contact,tags
        HH-100,The Moreau Household,client,"$3,200,000",1800000,410000,12000,3,email;phone,no,golf;legacy
        HH-101,The Sato Household,prospect,,650000,,,,letter,yes,
        """;

    private static string Write(string name, string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ensemble-import-").FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_DecidesTheTierOfEveryHouseholdItChanges_InTheSameTransaction(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var importer = new HouseholdImporter(s.Db, s.Clock);

        await importer.ImportAsync(ImportKind.Households, Write("households.csv", Households), "admin");
        var tiers = await s.Db.HouseholdTiers.AsNoTracking().Join(s.Db.Households, t => t.HouseholdId, h => h.Id, (t, h) => new { h.Key, t.Computed, t.Missing }).ToListAsync();
        await importer.ImportAsync(ImportKind.Members, Write("members.csv", """
            household_id,member_id,first_name,last_name,birth_date,relationship,email
            HH-100,M1,Claire,Moreau,1968-04-02,primary,claire@moreau.example
            """), "admin");
        var moreau = await s.Db.HouseholdTiers.AsNoTracking().Join(s.Db.Households.Where(h => h.Key == "HH-100"), t => t.HouseholdId, h => h.Id, (t, h) => t).SingleAsync();

        // Five of eight criteria meet A from the stated facts alone; Sato's thin file is named, not a quiet C.
        Assert.Equal(global::Ensemble.ServiceModel.ServiceTier.A, tiers.Single(t => t.Key == "HH-100").Computed);
        var sato = tiers.Single(t => t.Key == "HH-101");
        Assert.Equal(global::Ensemble.ServiceModel.ServiceTier.Unsegmented, sato.Computed);
        Assert.Contains("NetWorth", sato.Missing);
        Assert.Contains("Age", tiers.Single(t => t.Key == "HH-100").Missing);
        Assert.DoesNotContain("Age", moreau.Missing);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_CreatesHouseholdsWithMembersAccountsAndPolicies(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var importer = new HouseholdImporter(s.Db, s.Clock);

        var households = await importer.ImportAsync(ImportKind.Households, Write("households.csv", Households), "admin");
        var members = await importer.ImportAsync(ImportKind.Members, Write("members.csv", """
            household_id,member_id,first_name,last_name,birth_date,relationship,email
            HH-100,M1,Claire,Moreau,1968-04-02,primary,claire@moreau.example
            HH-100,M2,Luc,Moreau,1966-11-30,spouse,
            """), "admin");
        var accounts = await importer.ImportAsync(ImportKind.Accounts, Write("accounts.csv", """
            household_id,account_id,type,custodian,value,opened_on
            HH-100,A1,IRA,Schwab,900000,2015-06-01
            HH-100,A2,joint,Fidelity,"1,100,000.50",
            HH-100,A3,checking,Chase,50000,
            """), "admin");
        var policies = await importer.ImportAsync(ImportKind.Policies, Write("policies.csv", """
            household_id,policy_id,type,carrier,coverage,annual_premium,insured_member_id
            HH-100,P1,life,Northwind Mutual,2000000,3100,M1
            """), "admin");

        Assert.True(households.Succeeded, string.Join("\n", households.Errors));
        Assert.Equal((2, 2, 3, 1), (households.Created, members.Created, accounts.Created, policies.Created));
        var moreau = await s.Db.Households.AsNoTracking().Include(h => h.Members).Include(h => h.Accounts).Include(h => h.Policies).SingleAsync(h => h.Key == "HH-100");
        Assert.Equal(LifecycleStage.Client, moreau.Stage);
        Assert.Equal(3_200_000m, moreau.Stated.NetWorth!.Value.Amount);
        Assert.Equal(["email", "phone"], moreau.PreferredChannels);
        Assert.Equal(["golf", "legacy"], moreau.Tags);
        Assert.Equal(2_000_000.50m, moreau.InvestableAssets!.Value.Amount);
        Assert.Equal(4, moreau.Products);
        Assert.Equal("ira", moreau.Accounts.Single(a => a.ExternalId == "A1").Type);
        Assert.Equal(new NodaTime.LocalDate(1968, 4, 2), moreau.Members.Single(m => m.ExternalId == "M1").BirthDate);
        var sato = await s.Db.Households.AsNoTracking().SingleAsync(h => h.Key == "HH-101");
        Assert.True(sato.DoNotContact);
        Assert.Null(sato.Stated.NetWorth);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_KeepsMailingAddresses_AndAFileWithoutThemLeavesThemAlone(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var importer = new HouseholdImporter(s.Db, s.Clock);

        var first = await importer.ImportAsync(ImportKind.Households, Write("households.csv", """
            household_id,name,stage,mailing_address
            HH-100,The Moreau Household,client,"12 Elm Street|Springfield, IL 62701"
            """), "admin");
        await importer.ImportAsync(ImportKind.Households, Write("again.csv", """
            household_id,name,stage
            HH-100,The Moreau Household,client
            """), "admin");

        Assert.True(first.Succeeded, string.Join("\n", first.Errors));
        var moreau = await s.Db.Households.AsNoTracking().SingleAsync(h => h.Key == "HH-100");
        Assert.Equal("12 Elm Street\nSpringfield, IL 62701", moreau.MailingAddress);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportingTheSameFileAgain_ChangesNothing_AndRecordsNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var importer = new HouseholdImporter(s.Db, s.Clock);
        var file = Write("households.csv", Households);
        await importer.ImportAsync(ImportKind.Households, file, "admin");
        var events = await s.Db.AuditEvents.CountAsync();

        var again = await importer.ImportAsync(ImportKind.Households, file, "admin");

        Assert.Equal((0, 0, 2), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal(events, await s.Db.AuditEvents.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WhenRowsAreBad_ReportsEveryRowWithLineAndColumn_AndAppliesNothing(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var before = await s.Db.Households.CountAsync();

        var report = await new HouseholdImporter(s.Db, s.Clock).ImportAsync(ImportKind.Households, Write("bad.csv", """
            household_id,name,stage,net_worth,referrals_given
            HH-200,Good Household,client,100000,1
            HH-201,,client,100000,1
            HH-202,"A household with a
            two-line name",customer,lots,-2
            HH-200,Duplicate,client,1,1
            """), "admin");

        Assert.False(report.Succeeded);
        var messages = report.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("bad.csv:3:2: name: is required", messages);
        Assert.Contains(messages, m => m.StartsWith("bad.csv:4:3: stage: \"customer\" is not a lifecycle stage", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.csv:4:4: net_worth: \"lots\" is not an amount", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.csv:4:5: referrals_given:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("bad.csv:6:1: household_id: \"HH-200\" appears again (first on line 2)", StringComparison.Ordinal));
        Assert.Equal(before, await s.Db.Households.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithUnknownOrMissingColumns_NamesThemOnTheHeaderLine(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);

        var report = await new HouseholdImporter(s.Db, s.Clock).ImportAsync(ImportKind.Accounts, Write("accounts.csv", """
            household_id,account_id,type,custodain,value
            HH-1,A1,ira,Schwab,10
            """), "admin");

        Assert.Equal(["accounts.csv:1:4: custodain: unknown column; the columns are: household_id, account_id, type, custodian, value, opened_on", "accounts.csv:1:1: custodian: required column is missing"],
            report.Errors.Select(e => e.ToString()).Order().Reverse());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Members_ForAHouseholdThatDoesNotExist_AreRefused(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);

        var report = await new HouseholdImporter(s.Db, s.Clock).ImportAsync(ImportKind.Members, Write("members.csv", """
            household_id,member_id,first_name,last_name
            HH-1,M1,Ada,Okafor
            HH-404,M1,Nobody,Here
            """), "admin");

        var error = Assert.Single(report.Errors);
        Assert.Equal("members.csv:3:1: household_id: household \"HH-404\" does not exist (import households first)", error.ToString());
        Assert.Equal(0, await s.Db.Members.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ChangedValues_UpdateTheHousehold_AndAreAuditedWithBeforeAndAfter(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var importer = new HouseholdImporter(s.Db, s.Clock);
        await importer.ImportAsync(ImportKind.Households, Write("households.csv", Households), "admin");

        var changed = await importer.ImportAsync(ImportKind.Households, Write("households.csv", Households.Replace("1800000", "1900000", StringComparison.Ordinal)), "ops");

        Assert.Equal((0, 1, 1), (changed.Created, changed.Updated, changed.Unchanged));
        var audit = await s.Db.AuditEvents.AsNoTracking().Where(e => e.Actor == "ops").SingleAsync();
        Assert.Equal("import-households", audit.Operation);
        Assert.Contains("1800000", audit.Before, StringComparison.Ordinal);
        Assert.Contains("1900000", audit.After, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewClientsAndNewAccounts_RaiseEventsInsideTheImport(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider);
        var importer = new HouseholdImporter(s.Db, s.Clock);
        var seen = new List<EventKind>();

        await importer.ImportAsync(ImportKind.Households, Write("households.csv", Households), "admin", e => { seen.AddRange(e.Select(x => x.Kind)); return Task.CompletedTask; });
        await importer.ImportAsync(ImportKind.Accounts, Write("accounts.csv", "household_id,account_id,type,custodian,value\nHH-100,A9,ira,Schwab,5\n"), "admin", e => { seen.AddRange(e.Select(x => x.Kind)); return Task.CompletedTask; });

        Assert.Equal([EventKind.HouseholdBecameClient, EventKind.AccountOpened], seen);
    }
}
