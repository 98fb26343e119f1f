using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Testing;

namespace Ensemble.Storage.Tests.Testing;

/// <summary>
/// A small firm on a fresh database: five staff, one household with a full team and backups, and a
/// few templates written for the behaviours under test. The clock starts on Tuesday 24 November 2026,
/// two days before Thanksgiving, so due dates cross a weekend and a market holiday.
/// </summary>
public sealed class PracticeScenario : IAsyncDisposable
{
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 24, 15, 0);

    private PracticeScenario(DatabaseLocation location, FakeClock clock)
    {
        Location = location;
        Clock = clock;
        Db = EnsembleDatabase.CreateContext(location, clock);
    }

    public DatabaseLocation Location { get; }

    public FakeClock Clock { get; }

    public EnsembleDb Db { get; }

    public HouseholdId Household { get; private set; }

    public Dictionary<string, StaffId> Staff { get; } = [];

    /// <summary>A second context on the same database, as another user or process would have.</summary>
    public EnsembleDb OpenAnother() => EnsembleDatabase.CreateContext(Location, Clock);

    public static async Task<PracticeScenario> CreateAsync(StorageProvider provider, params (string Name, string Yaml)[] templates)
    {
        var scenario = new PracticeScenario(await TestDatabases.CreateAsync(provider), new FakeClock(Start));
        await scenario.SeedAsync(templates);
        return scenario;
    }

    public async ValueTask DisposeAsync() => await Db.DisposeAsync();

    private async Task SeedAsync((string Name, string Yaml)[] templates)
    {
        var firm = await new FirmSetup(Db).InitializeAsync("Test Wealth", "America/New_York", "admin");
        Assert.True(firm.IsSuccess, firm.Error?.Message);
        var directory = new StaffDirectory(Db, Clock);
        foreach (var (handle, roles) in new[]
        {
            ("alice", new[] { RoleKeys.Paraplanner }),
            ("bob", new[] { RoleKeys.Paraplanner }),
            ("carol", new[] { RoleKeys.ClientServiceAssociate }),
            ("dan", new[] { RoleKeys.WealthPartner }),
            ("erin", new[] { RoleKeys.Principal, RoleKeys.WealthPartner }),
        })
        {
            var added = await directory.AddAsync(handle, char.ToUpperInvariant(handle[0]) + handle[1..], $"{handle}@test.example", roles, "admin");
            Assert.True(added.IsSuccess, added.Error?.Message);
            Staff[handle] = added.Value.Id;
        }

        var household = new Household("HH-1", "The Okafor Household", LifecycleStage.Client);
        household.SetStatedFacts(new StatedFacts(InvestableAssets: new Money(2_500_000m)));
        Db.Households.Add(household);
        await Db.SaveChangesAsync();
        Household = household.Id;

        var teams = new Teams(Db, Clock);
        await Expect(teams.SetAsync("HH-1", RoleKeys.Paraplanner, "alice", ["bob"], "admin"));
        await Expect(teams.SetAsync("HH-1", RoleKeys.ClientServiceAssociate, "carol", [], "admin"));
        await Expect(teams.SetAsync("HH-1", RoleKeys.WealthPartner, "dan", ["erin"], "admin"));
        await Expect(teams.SetAsync(null, RoleKeys.Principal, "erin", [], "admin"));

        if (templates.Length > 0)
        {
            var imported = await new TemplateLibrary(Db, Clock).ImportTextsAsync(templates, "admin");
            Assert.True(imported.IsSuccess, imported.Error?.Message);
        }

        Db.ChangeTracker.Clear();
    }

    public async Task<Household> AddHouseholdAsync(string key, LifecycleStage stage)
    {
        var household = new Household(key, $"Household {key}", stage);
        Db.Households.Add(household);
        await Db.SaveChangesAsync();
        var teams = new Teams(Db, Clock);
        await Expect(teams.SetAsync(key, RoleKeys.Paraplanner, "alice", ["bob"], "admin"));
        await Expect(teams.SetAsync(key, RoleKeys.ClientServiceAssociate, "carol", [], "admin"));
        await Expect(teams.SetAsync(key, RoleKeys.WealthPartner, "dan", ["erin"], "admin"));
        Db.ChangeTracker.Clear();
        return household;
    }

    /// <summary>Starts Meeting Prep (<see cref="Templates.MeetingPrep"/>) for the household, as dan; its one open task.</summary>
    public async Task<Processes.Running.WorkTask> StartMeetingPrepAsync(LocalDate meeting)
    {
        var started = await new WorkService(Db, Clock).StartAsync("meeting-prep", Household, new Dictionary<string, LocalDate> { ["meeting"] = meeting }, "dan");
        Assert.True(started.IsSuccess, started.Error?.Message);
        return Assert.Single(started.Value.Instance.Tasks);
    }

    public Task<List<Processes.Running.WorkTask>> TasksAsync() =>
        Db.Tasks.AsNoTracking().OrderBy(t => t.Id).ToListAsync();

    private static async Task Expect<T>(Task<Result<T>> operation)
    {
        var result = await operation;
        Assert.True(result.IsSuccess, result.Error?.Message);
    }
}
