using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Contacts;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.ServiceModel;

/// <summary>
/// Periodic contact on a real database. Today is Tuesday 24 November 2026. Every household's team has dan as
/// wealth partner, fay as financial advisor and gus as client care coordinator; HH-1 is tier A with a 60th
/// birthday on Monday 30 November, HH-2 tier B with a birthday on 1 December, HH-3 tier C with a wedding
/// anniversary on 2 December, and HH-4 (tier A, a birthday on 27 November) asked not to be contacted.
/// </summary>
public sealed class ContactPlannerTests
{
    private static readonly (string, string)[] Library = BuiltInLibrary.Texts()
        .Where(t => t.Name.EndsWith("/client-contact.yaml", StringComparison.Ordinal))
        .ToArray();

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_StartsAContactPerOccasion_ForTheRoleTheTierConditionPicks(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        var h = await ArrangeAsync(s);

        var report = await new ContactPlanner(s.Db, s.Clock).PlanAsync(14, "erin");

        Assert.Empty(report.Errors);
        Assert.Equal(["HH-1", "HH-2", "HH-3"], report.Started.Select(l => l.Household.Key).Order(StringComparer.Ordinal));
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(("HH-4", "the household asked not to be contacted"), (skipped.Household.Key, skipped.Reason));

        await ExpectContactAsync(s, h["HH-1"], $"contact:{h["HH-1"]}:2026:birthday:P1", new LocalDate(2026, 11, 30), RoleKeys.WealthPartner, "dan");
        await ExpectContactAsync(s, h["HH-2"], $"contact:{h["HH-2"]}:2026:birthday:P1", new LocalDate(2026, 12, 1), RoleKeys.FinancialAdvisor, "fay");
        await ExpectContactAsync(s, h["HH-3"], $"contact:{h["HH-3"]}:2026:anniversary", new LocalDate(2026, 12, 2), RoleKeys.ClientCareCoordinator, "gus");
        Assert.False(await s.Db.Instances.AnyAsync(i => i.HouseholdId == h["HH-4"]));
        Assert.True((await new AuditTrail(s.Db).VerifyAsync()).IsIntact);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Plan_RunAgain_StartsNothingTwice_AndOnceADayDoesNothingTheSameDay(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        await ArrangeAsync(s);
        var planner = new ContactPlanner(s.Db, s.Clock);
        var first = await planner.PlanAsync(14, "erin", onceADay: true);
        var counts = (await s.Db.Instances.CountAsync(), await s.Db.Tasks.CountAsync());

        var sameDay = await planner.PlanAsync(14, "erin", onceADay: true);
        var forced = await new ContactPlanner(s.OpenAnother(), s.Clock).PlanAsync(14, "erin");

        Assert.Equal(3, first.Started.Count);
        Assert.False(sameDay.Ran);
        Assert.True(forced.Ran);
        Assert.Empty(forced.Started);
        Assert.Equal(first.Started.Select(l => l.TriggerKey).Order(StringComparer.Ordinal), forced.AlreadyStarted.Select(l => l.TriggerKey).Order(StringComparer.Ordinal));
        Assert.Equal(counts, (await s.Db.Instances.CountAsync(), await s.Db.Tasks.CountAsync()));

        // The next day the once-a-day plan runs again, and still starts nothing twice.
        s.Clock.Advance(Duration.FromDays(1));
        var nextDay = await planner.PlanAsync(14, "erin", onceADay: true);
        Assert.True(nextDay.Ran);
        Assert.Empty(nextDay.Started);
        Assert.Equal(counts, (await s.Db.Instances.CountAsync(), await s.Db.Tasks.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RecordingALifeEvent_StartsItsContactAtOnce_AndALossGoesToTheWealthPartner(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        var h = await ArrangeAsync(s);
        var planner = new ContactPlanner(s.Db, s.Clock);

        var loss = Ok(await planner.RecordLifeEventAsync(h["HH-2"], LifeEventKind.Loss, new LocalDate(2026, 11, 20), null, "Her mother", "fay"));
        var job = Ok(await planner.RecordLifeEventAsync(h["HH-3"], LifeEventKind.NewJob, new LocalDate(2026, 12, 7), "P1", null, "gus"));
        var quiet = Ok(await planner.RecordLifeEventAsync(h["HH-4"], LifeEventKind.Retirement, new LocalDate(2026, 12, 31), null, null, "gus"));

        // Tier B, but after a loss the wealth partner calls, today (the loss is past).
        await ExpectContactAsync(s, h["HH-2"], $"contact:{h["HH-2"]}:2026:life-event:{loss.Event.Id}", new LocalDate(2026, 11, 24), RoleKeys.WealthPartner, "dan");
        await ExpectContactAsync(s, h["HH-3"], $"contact:{h["HH-3"]}:2026:life-event:{job.Event.Id}", new LocalDate(2026, 12, 7), RoleKeys.ClientCareCoordinator, "gus");
        Assert.Null(quiet.ContactProcess);
        Assert.Contains("asked not to be contacted", quiet.Outcome, StringComparison.Ordinal);

        var stored = await s.Db.LifeEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([loss.ContactProcess, job.ContactProcess, null], stored.Select(e => e.ContactInstanceId?.Value));
        Assert.Equal(3, await s.Db.AuditEvents.CountAsync(e => e.EntityType == nameof(LifeEvent) && e.Action == "created"));

        // The plan sees the life events' contacts as started, and does not start them again.
        var report = await planner.PlanAsync(14, "erin");
        Assert.DoesNotContain(report.Started, l => l.Occasion.Kind == OccasionKind.LifeEvent);
        Assert.Contains(report.AlreadyStarted, l => l.Occasion.LifeEventId == job.Event.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CompletingTheContact_HandsTheLogToTheCoordinator_AndFinishesTheProcess(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        var h = await ArrangeAsync(s);
        await new ContactPlanner(s.Db, s.Clock).PlanAsync(14, "erin");
        var work = new WorkService(s.Db, s.Clock);
        var call = await s.Db.Tasks.AsNoTracking().SingleAsync(t => t.HouseholdId == h["HH-1"] && t.Status == WorkTaskStatus.Open);

        Assert.True((await work.CompleteAsync(call.Id, "dan", "Called on the day; planning a trip to Lisbon.")).IsSuccess);
        var log = await s.Db.Tasks.AsNoTracking().SingleAsync(t => t.HouseholdId == h["HH-1"] && t.Status == WorkTaskStatus.Open);
        var done = await work.CompleteAsync(log.Id, "gus");

        Assert.Equal(("log-contact", s.Staff["gus"]), (log.StepKey, log.AssigneeId!.Value));
        Assert.True(done.Value.InstanceCompleted);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Occasions_ListWhatPlanningWouldDo_WithoutStartingAnything(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Library);
        var h = await ArrangeAsync(s);

        var lines = await new ContactPlanner(s.Db, s.Clock).OccasionsAsync(14, [h["HH-2"].Value, h["HH-4"].Value]);

        Assert.Equal(["HH-4 Skipped", "HH-2 Planned"], lines.Select(l => $"{l.Household.Key} {l.Decision}"));
        Assert.Equal(ContactChannel.Card, lines[1].Channel);
        Assert.Equal(0, await s.Db.Instances.CountAsync());
    }

    /// <summary>Adds fay and gus, HH-2 to HH-4, the tiers, the members' birth dates and the wedding date.</summary>
    private static async Task<Dictionary<string, HouseholdId>> ArrangeAsync(PracticeScenario s)
    {
        var directory = new StaffDirectory(s.Db, s.Clock);
        s.Staff["fay"] = Ok(await directory.AddAsync("fay", "Fay", "fay@test.example", [RoleKeys.FinancialAdvisor], "admin")).Id;
        s.Staff["gus"] = Ok(await directory.AddAsync("gus", "Gus", "gus@test.example", [RoleKeys.ClientCareCoordinator], "admin")).Id;
        var ids = new Dictionary<string, HouseholdId> { ["HH-1"] = s.Household };
        foreach (var key in new[] { "HH-2", "HH-3", "HH-4" })
        {
            ids[key] = (await s.AddHouseholdAsync(key, LifecycleStage.Client)).Id;
        }

        var teams = new Teams(s.Db, s.Clock);
        foreach (var key in ids.Keys)
        {
            Ok(await teams.SetAsync(key, RoleKeys.FinancialAdvisor, "fay", [], "admin"));
            Ok(await teams.SetAsync(key, RoleKeys.ClientCareCoordinator, "gus", [], "admin"));
        }

        s.Db.ChangeTracker.Clear();
        s.Db.Actor = "admin";
        s.Db.Operation = "test-setup";
        var today = new LocalDate(2026, 11, 24);
        var setup = new (string Key, ServiceTier Tier, LocalDate? Born, LocalDate? Married, string Channel, bool DoNotContact)[]
        {
            ("HH-1", ServiceTier.A, new LocalDate(1966, 11, 30), null, "phone", false),
            ("HH-2", ServiceTier.B, new LocalDate(1980, 12, 1), null, "letter", false),
            ("HH-3", ServiceTier.C, null, new LocalDate(2011, 12, 2), "email", false),
            ("HH-4", ServiceTier.A, new LocalDate(1970, 11, 27), null, "phone", true),
        };
        foreach (var (key, tier, born, married, channel, doNotContact) in setup)
        {
            var household = await s.Db.Households.Include(x => x.Members).SingleAsync(x => x.Key == key);
            household.UpsertMember("P1", "Ana", key, born, Relationship.Primary, null);
            household.SetMarriedOn(married);
            household.SetCommunication([channel], doNotContact);
            s.Db.HouseholdTiers.Add(new HouseholdTier(household.Id, tier, [], today));
        }

        await s.Db.SaveChangesAsync();
        s.Db.ChangeTracker.Clear();
        return ids;
    }

    /// <summary>The household's contact process for the occasion: dated to it, with one open task for the role's holder and the other owners' steps skipped.</summary>
    private static async Task ExpectContactAsync(PracticeScenario s, HouseholdId household, string triggerKey, LocalDate on, string role, string holder)
    {
        var instance = await s.Db.Instances.AsNoTracking().Include(i => i.Tasks).SingleAsync(i => i.TriggerKey == triggerKey);
        Assert.Equal((ContactKeys.Template, household), (instance.TemplateKey, instance.HouseholdId!.Value));
        Assert.Equal(on, instance.Anchors[ContactKeys.Anchor]);
        var open = Assert.Single(instance.Tasks, t => t.IsOpen);
        Assert.Equal((role, s.Staff[holder], on), (open.RoleKey, open.AssigneeId!.Value, open.DueOn!.Value));
        Assert.Equal(2, instance.Tasks.Count(t => t.Status == WorkTaskStatus.Skipped));
    }

    private static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }
}
