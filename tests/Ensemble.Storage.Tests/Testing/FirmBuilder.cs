using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Storage.Library;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Testing;

namespace Ensemble.Storage.Tests.Testing;

/// <summary>
/// A firm with many households, built in a few saves rather than one service call per row: the shape
/// bulk operations need. Five staff (alice and bob paraplanners, carol CSA, dan wealth partner, erin
/// principal), and every household gets the same team: paraplanner alice (backup bob), CSA carol,
/// wealth partner dan (backup erin); erin is the firm-level principal. Households with an even number
/// state $2.5M investable, odd ones $300k, so conditions split them. The clock starts on
/// <see cref="PracticeScenario.Start"/>.
/// </summary>
public sealed class FirmBuilder : IAsyncDisposable
{
    private FirmBuilder(DatabaseLocation location, FakeClock clock)
    {
        Location = location;
        Clock = clock;
        Db = EnsembleDatabase.CreateContext(location, clock);
    }

    public DatabaseLocation Location { get; }

    public FakeClock Clock { get; }

    public EnsembleDb Db { get; }

    public Dictionary<string, StaffId> Staff { get; } = [];

    /// <summary>The households in key order (HH-00001, HH-00002, …).</summary>
    public List<HouseholdId> Households { get; } = [];

    public static async Task<FirmBuilder> CreateAsync(StorageProvider provider, int households, params (string Name, string Yaml)[] templates) =>
        await CreateAsync(await TestDatabases.CreateAsync(provider), households, templates);

    public static async Task<FirmBuilder> CreateAsync(DatabaseLocation location, int households, params (string Name, string Yaml)[] templates)
    {
        var builder = new FirmBuilder(location, new FakeClock(PracticeScenario.Start));
        await builder.SeedAsync(households, templates);
        return builder;
    }

    /// <summary>A second context on the same database, as another process would have.</summary>
    public EnsembleDb OpenAnother() => EnsembleDatabase.CreateContext(Location, Clock);

    public async Task<TemplateVersionId> VersionAsync(string key) =>
        await Db.TemplateVersions.AsNoTracking().Where(v => v.Key == key).OrderByDescending(v => v.Number).Select(v => v.Id).FirstAsync();

    public async ValueTask DisposeAsync() => await Db.DisposeAsync();

    private async Task SeedAsync(int households, (string Name, string Yaml)[] templates)
    {
        Db.Actor = "admin";
        Db.Operation = "test-setup";
        Db.Firms.Add(new Firm("Test", DateTimeZoneProviders.Tzdb["America/New_York"]));
        Db.Roles.AddRange(RoleKeys.Defaults.Select(r => new Role(r.Key, r.Name, r.Description, r.Scope, builtIn: true)));
        var people = new[]
        {
            new Staff("alice", "Alice", "alice@test.example", [RoleKeys.Paraplanner]),
            new Staff("bob", "Bob", "bob@test.example", [RoleKeys.Paraplanner]),
            new Staff("carol", "Carol", "carol@test.example", [RoleKeys.ClientServiceAssociate]),
            new Staff("dan", "Dan", "dan@test.example", [RoleKeys.WealthPartner]),
            new Staff("erin", "Erin", "erin@test.example", [RoleKeys.Principal, RoleKeys.WealthPartner]),
        };
        Db.Staff.AddRange(people);
        var added = new List<Household>(households);
        for (var n = 1; n <= households; n++)
        {
            var household = new Household($"HH-{n:00000}", $"Household {n}", LifecycleStage.Client);
            household.SetStatedFacts(new StatedFacts(InvestableAssets: new Money(n % 2 == 0 ? 2_500_000m : 300_000m)));
            added.Add(household);
        }

        Db.Households.AddRange(added);
        await Db.SaveChangesAsync();
        foreach (var person in people)
        {
            Staff[person.Handle] = person.Id;
        }

        Households.AddRange(added.Select(h => h.Id));
        Db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.Principal, Staff["erin"], [Staff["dan"]]));
        foreach (var id in Households)
        {
            Db.TeamAssignments.AddRange(
                new TeamAssignment(id, RoleKeys.Paraplanner, Staff["alice"], [Staff["bob"]]),
                new TeamAssignment(id, RoleKeys.ClientServiceAssociate, Staff["carol"], []),
                new TeamAssignment(id, RoleKeys.WealthPartner, Staff["dan"], [Staff["erin"]]));
        }

        await Db.SaveChangesAsync();
        if (templates.Length > 0)
        {
            var imported = await new TemplateLibrary(Db, Clock).ImportTextsAsync(templates, "admin");
            Assert.True(imported.IsSuccess, imported.Error?.Message);
        }

        Db.ChangeTracker.Clear();
    }
}
