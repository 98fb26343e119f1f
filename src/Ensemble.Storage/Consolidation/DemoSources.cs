using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Consolidation;
using Ensemble.Households;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// The demo firm's three sources — its CRM (CSV), its planning tool (JSON) and its custodian's feed (CSV) — and
/// one overlapping export from each, imported the way a firm would: a few households where the CRM and the
/// planning tool disagree, a few whose facts have gone stale, and values that give the advisory framework
/// something to find (fixed rates ending soon, thin cover, cash piling up, beneficiaries not reviewed).
/// </summary>
public static class DemoSources
{
    public static async Task AddAsync(EnsembleDb db, IClock clock, string actor, CancellationToken cancellationToken = default)
    {
        var registry = new SourceRegistry(db, clock);
        foreach (var (key, name) in new[] { ("crm", "Redtail CRM"), ("planning", "eMoney planning"), ("custodian", "Schwab custodial feed") })
        {
            if (!await db.DataSources.AnyAsync(s => s.Key == key, cancellationToken))
            {
                await registry.AddAsync(key, name, actor, cancellationToken);
            }
        }

        var households = await db.Households.AsNoTracking().AsSplitQuery().Include(h => h.Members).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        var firm = await Work.WorkContextLoader.FirmAsync(db, cancellationToken);
        var today = firm.Today(clock);
        var exports = Build(households, today);
        var folder = Path.Combine(Path.GetTempPath(), "ensemble-demo-sources", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var intake = new SourceIntake(db, clock);
            foreach (var (source, file, content) in exports)
            {
                var path = Path.Combine(folder, file);
                await File.WriteAllTextAsync(path, content, cancellationToken);
                var result = await intake.ImportFileAsync(source, path, actor, cancellationToken);
                if (!result.IsSuccess || !result.Value.Succeeded)
                {
                    throw new InvalidOperationException($"The demo's {file} did not import: {result.Error?.Message ?? string.Join("; ", result.Value.Errors)}");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Households without any source values still get a sheet (their derived facts).
        await registry.RebuildSheetsAsync(null, cancellationToken);
    }

    private static double Nearest(double value, double step) => Math.Round(value / step) * step;

    private static List<(string Source, string File, string Content)> Build(List<Household> households, LocalDate today)
    {
        var crm = new StringBuilder("household,client.birth_date,spouse.birth_date,income,net_worth,home.value,mortgage.fixed_rate_ends,ips.reviewed_on,beneficiaries.reviewed_on,will.exists,verified_at\n");
        var custodian = new StringBuilder("household,mortgage.balance,retirement.savings,rmd.required,rmd.taken,cash,portfolio.value,portfolio.largest_position,portfolio.equity,tax.unrealized_losses,ira.pretax_balance,verified_at\n");
        var planning = new List<object>();
        string Day(LocalDate d) => d.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
        string Money(double v) => Math.Round(v).ToString("0", CultureInfo.InvariantCulture);
        foreach (var h in households)
        {
            var random = new Random((int)h.Id.Value * 7919);
            var primary = h.PrimaryMember;
            var spouse = h.Members.FirstOrDefault(m => m.Relationship == Relationship.Spouse);
            var age = primary?.AgeOn(today) ?? 50;
            var income = (double)(h.Stated.HouseholdIncome?.Amount ?? 150_000m);
            var investable = (double)(h.InvestableAssets?.Amount ?? 500_000m);
            var netWorth = (double)(h.Stated.NetWorth?.Amount ?? (decimal)(investable * 1.6));
            var home = Nearest(300_000 + (random.NextDouble() * 2_200_000), 1000);
            var mortgage = random.NextDouble() < 0.6;
            var rateEnds = today.PlusDays(random.Next(-20, 900));
            var dependants = h.Members.Count(m => m.Relationship is Relationship.Child or Relationship.Dependant);

            // The CRM is kept up by hand: some households were last confirmed well over a year ago.
            var crmVerified = today.PlusDays(-random.Next(20, 260) - (random.NextDouble() < 0.12 ? 400 : 0));
            crm.Append(CultureInfo.InvariantCulture, $"{h.Key},{(primary?.BirthDate is { } b ? Day(b) : "")},{(spouse?.BirthDate is { } s ? Day(s) : "")},")
                .Append(CultureInfo.InvariantCulture, $"{Money(income)},{Money(netWorth)},{Money(home)},{(mortgage ? Day(rateEnds) : "")},")
                .Append(CultureInfo.InvariantCulture, $"{Day(today.PlusDays(-random.Next(30, 900)))},{Day(today.PlusDays(-random.Next(60, 1800)))},")
                .Append(dependants > 0 && random.NextDouble() < 0.3 ? "no" : "yes").Append(',').Append(Day(crmVerified)).Append('\n');
            if (h.Stage == LifecycleStage.Prospect)
            {
                continue;
            }

            // The planning tool disagrees with the CRM now and then: a raise not yet in the CRM, a typo in a birth date.
            var facts = new Dictionary<string, object>
            {
                ["income"] = random.NextDouble() < 0.06 ? Nearest(income * 1.12, 1000) : income,
                ["net_worth"] = netWorth,
                ["home.value"] = home,
                ["home.cover"] = Nearest(home * (0.7 + (random.NextDouble() * 0.5)), 1000),
                ["retirement.income_goal"] = Nearest(income * 0.7, 1000),
                ["retirement.projected_income"] = Nearest(income * 0.7 * (0.5 + (random.NextDouble() * 0.8)), 1000),
                ["model.equity"] = Math.Round(40 + (random.NextDouble() * 40)),
                ["tax.bracket"] = new[] { 12, 22, 24, 32, 35, 37 }[random.Next(6)],
            };
            if (random.NextDouble() < 0.7)
            {
                facts["life.cover"] = Nearest(income * (2 + (random.NextDouble() * 12)), 1000);
            }

            if (age < 60 && random.NextDouble() < 0.5)
            {
                facts["disability.cover"] = Nearest(income / 12 * 0.6, 100);
            }

            if (primary?.BirthDate is { } birth && random.NextDouble() < 0.03)
            {
                facts["client.birth_date"] = Day(birth.PlusDays(random.Next(1, 30)));
            }

            var planningVerified = random.NextDouble() < 0.08 ? today.PlusDays(-random.Next(380, 500)) : today.PlusDays(-random.Next(5, 150));
            planning.Add(new Dictionary<string, object> { ["household"] = h.Key, ["verified_at"] = Day(planningVerified), ["facts"] = facts });

            var savings = Nearest(investable * (0.3 + (random.NextDouble() * 0.5)), 100);
            var rmd = age >= 73 ? Nearest(savings / 26.5, 100) : 0;
            var custodianVerified = random.NextDouble() < 0.04 ? today.PlusMonths(-5) : today.PlusDays(-1);
            custodian.Append(CultureInfo.InvariantCulture, $"{h.Key},{(mortgage ? Money(100_000 + (random.NextDouble() * 600_000)) : "")},{Money(savings)},")
                .Append(age >= 73 ? Money(rmd) : "").Append(',').Append(age >= 73 ? Money(rmd * random.NextDouble()) : "").Append(',')
                .Append(CultureInfo.InvariantCulture, $"{Money(investable * (0.02 + (random.NextDouble() * 0.2)))},{Money(investable)},")
                .Append(CultureInfo.InvariantCulture, $"{Math.Round(3 + (random.NextDouble() * 30), 1).ToString(CultureInfo.InvariantCulture)},{Math.Round(30 + (random.NextDouble() * 55)).ToString(CultureInfo.InvariantCulture)},")
                .Append(random.NextDouble() < 0.3 ? Money(1_000 + (random.NextDouble() * 60_000)) : "").Append(',')
                .Append(CultureInfo.InvariantCulture, $"{Money(savings * 0.6)},{Day(custodianVerified)}\n");
        }

        return
        [
            ("crm", "crm-export.csv", crm.ToString()),
            ("planning", "planning-export.json", JsonSerializer.Serialize(planning)),
            ("custodian", "custodian-positions.csv", custodian.ToString()),
        ];
    }
}
