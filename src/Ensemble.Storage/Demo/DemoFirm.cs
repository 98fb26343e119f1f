using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Demo;

/// <summary>What the demo built, for the tour printed afterwards.</summary>
public sealed record DemoSummary(string FirmName, int Staff, int Households, int Processes, int OpenTasks, IReadOnlyList<(string Handle, string Name, string Roles)> People);

/// <summary>
/// Builds a realistic small firm: a dozen staff across the roles, a few hundred households with
/// members, accounts, policies and teams with backups, and work under way — reviews booked over the
/// coming weeks, prospects in the sales pipeline, service requests, someone on vacation.
/// Deterministic for a given seed and day.
/// </summary>
public sealed class DemoFirm(EnsembleDb db, IClock clock)
{
    private static readonly (string Handle, string Name, string[] Roles)[] People =
    [
        ("elena", "Elena Marsh", [RoleKeys.Principal, RoleKeys.WealthPartner, RoleKeys.Compliance]),
        ("david", "David Chen", [RoleKeys.WealthPartner, RoleKeys.FinancialAdvisor, RoleKeys.Principal]),
        ("priya", "Priya Raman", [RoleKeys.FinancialAdvisor, RoleKeys.WealthPartner]),
        ("tom", "Tom Becker", [RoleKeys.Paraplanner]),
        ("aisha", "Aisha Bello", [RoleKeys.Paraplanner]),
        ("jonas", "Jonas Weber", [RoleKeys.Paraplanner, RoleKeys.OperationsSpecialist]),
        ("grace", "Grace Liu", [RoleKeys.ClientCareCoordinator]),
        ("sam", "Sam Ortiz", [RoleKeys.ClientCareCoordinator, RoleKeys.ClientServiceAssociate]),
        ("nina", "Nina Petrova", [RoleKeys.ClientServiceAssociate, RoleKeys.ClientCareCoordinator]),
        ("leo", "Leo Martins", [RoleKeys.ClientServiceAssociate]),
        ("hannah", "Hannah Cole", [RoleKeys.AssociateAdvisor]),
        ("omar", "Omar Haddad", [RoleKeys.AssociateAdvisor, RoleKeys.Compliance]),
        ("ruth", "Ruth Adams", [RoleKeys.OperationsSpecialist, RoleKeys.AssociateAdvisor]),
    ];

    private static readonly string[] Surnames =
    [
        "Okafor", "Lindqvist", "Moreau", "Tanaka", "Castillo", "Whitfield", "Nakamura", "O'Brien", "Kowalski", "Haddad",
        "Mensah", "Fischer", "Delgado", "Sato", "Brennan", "Achebe", "Novak", "Jensen", "Ramirez", "Abernathy",
        "Kim", "Patel", "Rossi", "Schmidt", "Dubois", "Ivanova", "Murphy", "Yilmaz", "Costa", "Larsen",
        "Zhang", "Andersen", "Reyes", "Gallagher", "Bianchi", "Horvath", "Eriksen", "Mwangi", "Park", "Sullivan",
    ];

    private static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Linda", "Michael", "Susan", "William", "Karen", "Daniel", "Nancy", "Thomas", "Laura",
        "Ana", "Kenji", "Fatima", "Lars", "Sofia", "Chidi", "Ingrid", "Mateo", "Yuki", "Amara", "Pierre", "Olga",
    ];

    private static readonly string[] Custodians = ["Schwab", "Fidelity", "Pershing", "Vanguard"];

    public async Task<Result<DemoSummary>> BuildAsync(int households, int seed, IReadOnlyList<(string Name, string Yaml)> library, CancellationToken cancellationToken = default)
    {
        const string actor = "demo";
        var random = new Random(seed);
        var setup = await new FirmSetup(db).InitializeAsync("Harbor Point Wealth Partners", "America/New_York", actor, cancellationToken);
        if (!setup.IsSuccess)
        {
            return setup.Error!;
        }

        var imported = await new TemplateLibrary(db, clock).ImportTextsAsync(library, actor, cancellationToken);
        if (!imported.IsSuccess)
        {
            return imported.Error!;
        }

        var staff = await AddStaffAsync(actor, cancellationToken);
        var houses = await AddHouseholdsAsync(households, random, actor, cancellationToken);
        await AssignTeamsAsync(staff, houses, actor, cancellationToken);
        await new ServiceModel.TierBook(db, clock).RecomputeAsync(null, actor, cancellationToken);
        await DemoContacts.AddAsync(db, clock, actor, cancellationToken);
        var processes = await StartWorkAsync(houses, random, cancellationToken);
        await Opportunities.DemoPipeline.AddAsync(db, clock, houses, cancellationToken);
        await Communications.Campaigns.DemoCampaigns.AddAsync(db, clock, cancellationToken);

        // Tom takes a week off starting next Monday: his reviews' preparation moves to his backups.
        var today = setup.Value.Today(clock);
        var monday = today.Next(IsoDayOfWeek.Monday);
        await new StaffDirectory(db, clock).MarkAwayAsync("tom", monday, monday.PlusDays(4), "Vacation", "elena", cancellationToken);
        processes += await ServiceModel.ServiceCalendarDemo.LayOutAsync(db, clock, actor, cancellationToken);
        await Consolidation.DemoSources.AddAsync(db, clock, actor, cancellationToken);
        await new Advisory.AdvisoryRun(db, clock).RunAsync(actor, cancellationToken); // after the fact sheets exist, so the demo opens with alerts
        await new Advisory.FollowUps.FollowUpRunner(db, clock).RunAsync(actor, cancellationToken); // and follows them up: tasks within budgets, agendas, queued messages

        var open = await db.Tasks.CountAsync(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress, cancellationToken);
        return new DemoSummary(setup.Value.Name, staff.Count, houses.Count, processes, open, People.Select(p => (p.Handle, p.Name, string.Join(", ", p.Roles))).ToList());
    }

    private async Task<Dictionary<string, StaffId>> AddStaffAsync(string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = "demo-staff";
        var added = People.Select(p => new Staff(p.Handle, p.Name, $"{p.Handle}@harborpoint.example", p.Roles)).ToList();
        db.Staff.AddRange(added);
        await db.SaveChangesAsync(cancellationToken);
        return added.ToDictionary(s => s.Handle, s => s.Id);
    }

    private async Task<List<Household>> AddHouseholdsAsync(int count, Random random, string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = "demo-households";
        var today = clock.GetCurrentInstant().InUtc().Date;
        var list = new List<Household>();
        for (var i = 0; i < count; i++)
        {
            var surname = Surnames[i % Surnames.Length];
            var roll = random.NextDouble();
            var stage = roll < 0.72 ? LifecycleStage.Client : roll < 0.92 ? LifecycleStage.Prospect : LifecycleStage.FormerClient;
            var household = new Household($"HH-{1001 + i}", $"The {surname} Household{(i >= Surnames.Length ? $" ({(i / Surnames.Length) + 1})" : "")}", stage);
            var wealth = Math.Round((decimal)Math.Exp(11.5 + (random.NextDouble() * 3.5)), 0);
            household.SetStatedFacts(new StatedFacts(
                NetWorth: new Money(Math.Round(wealth * 1.6m)),
                InvestableAssets: new Money(wealth),
                HouseholdIncome: new Money(Math.Round(90m + (decimal)(random.NextDouble() * 500)) * 1000m),
                InitialRevenue: new Money(Math.Round(wealth * 0.006m, 0)),
                RecurringRevenue: new Money(Math.Round(wealth * 0.009m, 0)),
                ReferralsGiven: random.Next(0, 5)));
            household.SetCommunication(random.NextDouble() < 0.7 ? ["email", "phone"] : ["phone", "letter"], doNotContact: random.NextDouble() < 0.03);
            household.SetMailingAddress(DemoAddresses.For(i));

            var age = random.Next(29, 82);
            var first = FirstNames[random.Next(FirstNames.Length)];
            var email = $"{first.ToLowerInvariant()}.{surname.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)}@mail.example";
            household.UpsertMember("P1", first, surname, today.PlusYears(-age).PlusDays(-random.Next(0, 365)), Relationship.Primary, email);
            if (random.NextDouble() < 0.7)
            {
                household.UpsertMember("P2", FirstNames[random.Next(FirstNames.Length)], surname, today.PlusYears(-(age + random.Next(-5, 6))).PlusDays(-random.Next(0, 365)), Relationship.Spouse, null);
            }

            for (var c = 0; c < (age < 55 ? random.Next(0, 3) : 0); c++)
            {
                household.UpsertMember($"C{c + 1}", FirstNames[random.Next(FirstNames.Length)], surname, today.PlusYears(-random.Next(2, 20)), Relationship.Child, null);
            }

            if (stage != LifecycleStage.Prospect)
            {
                var types = new[] { "joint", "ira", "roth-ira", "individual", "401k", "trust", "checking" };
                for (var a = 0; a < random.Next(1, 5); a++)
                {
                    household.UpsertAccount($"A{a + 1}", types[random.Next(types.Length)], Custodians[random.Next(Custodians.Length)], new Money(Math.Round(wealth / 3m * (decimal)(0.3 + random.NextDouble()), 0)), today.PlusDays(-random.Next(60, 4000)));
                }

                if (random.NextDouble() < 0.6)
                {
                    household.UpsertPolicy("L1", "life", "Northwind Mutual", new Money(Math.Round(50m + (decimal)(random.NextDouble() * 200)) * 10_000m), new Money(Math.Round(800m + (decimal)(random.NextDouble() * 4000), 0)), "P1");
                }

                if (random.NextDouble() < 0.3)
                {
                    household.UpsertPolicy("D1", "disability", "Contoso Life", new Money(120_000m), new Money(1_900m), "P1");
                }
            }

            household.AddTrustedAdvisor(new TrustedAdvisor("cpa", $"{FirstNames[random.Next(FirstNames.Length)]} {Surnames[random.Next(Surnames.Length)]}, CPA", "Ledger & Co", null, null));
            list.Add(household);
        }

        db.Households.AddRange(list);
        await db.SaveChangesAsync(cancellationToken);
        return list;
    }

    private async Task AssignTeamsAsync(Dictionary<string, StaffId> staff, List<Household> households, string actor, CancellationToken cancellationToken)
    {
        db.Actor = actor;
        db.Operation = "demo-teams";
        StaffId S(string handle) => staff[handle];
        // One backup each, in a ring: every paraplanner covers one colleague's households, not the whole book.
        (string Holder, string[] Backups)[] paraplanners = [("tom", ["aisha"]), ("aisha", ["jonas"]), ("jonas", ["tom"])];
        (string, string[])[] partners = [("elena", ["david"]), ("david", ["priya"]), ("priya", ["david"])];
        (string, string[])[] advisors = [("david", ["priya"]), ("priya", ["david"])];
        (string, string[])[] coordinators = [("grace", ["sam", "nina"]), ("sam", ["grace", "nina"])];
        (string, string[])[] associates = [("nina", ["leo", "sam"]), ("leo", ["nina", "sam"])];
        (string, string[])[] aas = [("hannah", ["omar", "ruth"]), ("omar", ["hannah", "ruth"])];
        for (var i = 0; i < households.Count; i++)
        {
            var h = households[i].Id;
            void Set(string role, (string Holder, string[] Backups) pick) =>
                db.TeamAssignments.Add(new TeamAssignment(h, role, S(pick.Holder), pick.Backups.Select(S)));
            Set(RoleKeys.WealthPartner, partners[i % partners.Length]);
            Set(RoleKeys.FinancialAdvisor, advisors[i % advisors.Length]);
            Set(RoleKeys.Paraplanner, paraplanners[i % paraplanners.Length]);
            Set(RoleKeys.ClientCareCoordinator, coordinators[i % coordinators.Length]);
            Set(RoleKeys.ClientServiceAssociate, associates[i % associates.Length]);
            Set(RoleKeys.AssociateAdvisor, aas[i % aas.Length]);
        }

        db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.Principal, S("elena"), [S("david")]));
        db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.Compliance, S("omar"), [S("elena")]));
        db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.OperationsSpecialist, S("jonas"), [S("ruth")]));
        db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.ClientServiceAssociate, S("nina"), [S("leo")]));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> StartWorkAsync(List<Household> households, Random random, CancellationToken cancellationToken)
    {
        var work = new WorkService(db, clock);
        var firm = await WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var available = (await TemplateVersions.AllLatestAsync(db, cancellationToken)).Select(v => v.Key).ToHashSet();
        var started = 0;
        var clients = households.Where(h => h.Stage == LifecycleStage.Client).ToList();
        var prospects = households.Where(h => h.Stage == LifecycleStage.Prospect).ToList();
        var advisors = new[] { "elena", "david", "priya" };

        async Task<Transition?> StartAsync(string template, HouseholdId? household, Dictionary<string, LocalDate> anchors, string actor)
        {
            if (!available.Contains(template))
            {
                return null;
            }

            var result = await work.StartAsync(template, household, anchors, actor, null, cancellationToken);
            started += result.IsSuccess ? 1 : 0;
            return result.IsSuccess ? result.Value : null;
        }

        // Reviews booked across the next six weeks, on business days.
        foreach (var (client, index) in clients.Take(45).Select((c, i) => (c, i)))
        {
            var meeting = firm.Calendar.OnOrAfter(today.PlusDays(9 + (index * 42 / 45)));
            await StartAsync("review-meeting", client.Id, new Dictionary<string, LocalDate> { ["meeting"] = meeting }, advisors[index % advisors.Length]);
        }

        // Prospects at the start of the sales pipeline; a few already past the introduction.
        foreach (var (prospect, index) in prospects.Take(16).Select((p, i) => (p, i)))
        {
            var transition = await StartAsync("sales-introduction", prospect.Id, [], advisors[index % advisors.Length]);
            if (transition is not null && index % 3 == 0)
            {
                await CompleteOpenAsync(work, transition.Instance.Id, "david", rounds: 1, cancellationToken);
            }
        }

        // Service requests in flight.
        string[] requests = ["new-account-opening", "money-movement-out", "rollover-request", "trade-request"];
        foreach (var (client, index) in clients.Skip(45).Take(24).Select((c, i) => (c, i)))
        {
            var transition = await StartAsync(requests[index % requests.Length], client.Id, [], "nina");
            if (transition is not null && random.NextDouble() < 0.5)
            {
                await CompleteOpenAsync(work, transition.Instance.Id, "leo", rounds: 1, cancellationToken);
            }
        }

        await new Sweep(db, clock).RunAsync("ensemble", cancellationToken);
        return started;
    }

    private async Task CompleteOpenAsync(WorkService work, InstanceId instance, string actor, int rounds, CancellationToken cancellationToken)
    {
        for (var round = 0; round < rounds; round++)
        {
            var open = await db.Tasks.AsNoTracking()
                .Where(t => t.InstanceId == instance && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.InProgress))
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
            foreach (var id in open)
            {
                await work.CompleteAsync(id, actor, "Done in the demo.", cancellationToken);
            }
        }
    }
}
