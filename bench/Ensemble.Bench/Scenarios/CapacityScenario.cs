using System.Diagnostics;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Capacity;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// Capacity planning in memory: the year's hours per role and person for 100,000 households (the
/// built-in library, the default service model, 60 staff on 20 teams, a third of households with their
/// year laid out as stored touchpoints), then a what-if moving 1,000 households from B to A.
/// The model is pure, so the figure is the same on either database; it is measured once.
/// </summary>
internal static class CapacityScenario
{
    public const string Name = "Capacity";

    public static Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        if (provider != options.Providers[0])
        {
            Console.WriteLine("  (in memory; measured once, on the first provider)");
            return Task.FromResult(new List<Figure>());
        }

        var count = options.Scale.Name == "full" ? 100_000 : 20_000;
        var input = Input(count);
        var options0 = new CapacityOptions();

        CapacityModel.Build(input, options0).Plan();
        var plans = new List<double>();
        var whatIfs = new List<double>();
        CapacityPlan? plan = null;
        for (var run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            var model = CapacityModel.Build(input, options0);
            plan = model.Plan();
            plans.Add(watch.Elapsed.TotalSeconds);

            watch.Restart();
            var whatIf = model.WhatIf(new MoveClosest(1_000, ServiceTier.B, ServiceTier.A));
            whatIfs.Add(watch.Elapsed.TotalSeconds);
            if (!whatIf.IsSuccess)
            {
                throw new InvalidOperationException(whatIf.Error!.Message);
            }
        }

        plans.Sort();
        whatIfs.Sort();
        var median = plans[2];
        Console.WriteLine($"  {Format.Count(count)} households, {plan!.People.Count} staff, {plan.Roles.Count} roles: plan median of 5 {Format.Seconds(median)} " +
            $"(runs {string.Join(", ", plans.Select(Format.Seconds))}); what-if (1,000 from B to A) median {Format.Ms(whatIfs[2] * 1000)}");
        var full = count == 100_000;
        return Task.FromResult(new List<Figure>
        {
            new($"{Name}: plan for {Format.Count(count)} households", provider, $"{Format.Seconds(median)} (median of 5)", "about 1 s for 100,000", full ? median <= 1.0 : null, "—"),
            new($"{Name}: what-if, 1,000 households B→A", provider, $"{Format.Ms(whatIfs[2] * 1000)} (median of 5)", "—", null, "—"),
        });
    }

    private static CapacityInput Input(int count)
    {
        var roles = RoleKeys.Defaults.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var templates = BuiltInLibrary.Texts()
            .Select(t => TemplateLoader.Load(t.Yaml, t.Name, roles).Template)
            .OfType<ProcessTemplate>()
            .ToList();

        var clientRoles = new[] { RoleKeys.WealthPartner, RoleKeys.FinancialAdvisor, RoleKeys.Paraplanner, RoleKeys.ClientCareCoordinator, RoleKeys.ClientServiceAssociate, RoleKeys.AssociateAdvisor };
        var people = new List<CapacityPerson>();
        var teams = new List<IReadOnlyDictionary<string, StaffId>>();
        var id = 0L;
        for (var t = 0; t < 20; t++)
        {
            var team = new Dictionary<string, StaffId>(StringComparer.Ordinal);
            foreach (var role in clientRoles)
            {
                // Three people per role, each on several teams.
                var holder = new StaffId(1 + (Array.IndexOf(clientRoles, role) * 10) + (t % 10));
                team[role] = holder;
            }

            teams.Add(team);
        }

        foreach (var role in clientRoles)
        {
            for (var n = 0; n < 10; n++)
            {
                id = 1 + (Array.IndexOf(clientRoles, role) * 10) + n;
                people.Add(new CapacityPerson(new StaffId(id), $"{role}-{n}", $"{role} {n}", [role],
                    n == 0 ? [new Absence(new LocalDate(2027, 8, 2), new LocalDate(2027, 8, 13), "Holiday")] : []));
            }
        }

        people.Add(new CapacityPerson(new StaffId(100), "principal", "Principal", [RoleKeys.Principal, RoleKeys.Compliance], []));
        var firm = new Dictionary<string, StaffId>(StringComparer.Ordinal) { [RoleKeys.Principal] = new(100), [RoleKeys.Compliance] = new(100) };

        var random = new Random(11);
        var households = new List<CapacityHousehold>(count);
        var touchpoints = new List<StoredTouchpoint>();
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var tier = roll < 20 ? ServiceTier.A : roll < 55 ? ServiceTier.B : roll < 90 ? ServiceTier.C : ServiceTier.Unsegmented;
            int? month = random.Next(10) == 0 ? null : random.Next(1, 13);
            var household = new CapacityHousehold(new HouseholdId(i + 1), $"HH-{i + 1:000000}", tier, month, random.Next(teams.Count),
                new TierSupport(random.Next(9), random.Next(9), random.Next(9)));
            households.Add(household);
            if (tier != ServiceTier.Unsegmented && month is { } m && i % 3 == 0)
            {
                foreach (var plan in ServiceSettings.Default.PlanFor(tier))
                {
                    var date = new LocalDate(2027, 1 + ((m - 1 + plan.MonthsAfterReview) % 12), 10);
                    touchpoints.Add(new StoredTouchpoint(household.Id, plan.Kind, date, plan.Minutes, null));
                }
            }
        }

        return new CapacityInput(2027, BusinessCalendar.UsDefault, DateTimeZoneProviders.Tzdb["America/New_York"], ServiceSettings.Default,
            RoleKeys.Defaults, people, firm, teams, households, touchpoints, templates);
    }
}
