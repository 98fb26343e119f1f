using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Bench.Advisory;

/// <summary>
/// Fact sheets for a made-up book of households, the same for a given seed: ages 25–90, incomes from nothing
/// to $600k, homes with and without mortgages, portfolios of every shape. A third of households are fully
/// documented; the rest miss facts the way real files do (no spouse, no will on record, no IPS review), and
/// a few miss the facts rules cannot do without (age, stage, tier), so every rule is raised for some
/// households, not for others, and cannot be evaluated for a few.
/// </summary>
internal sealed class SyntheticHouseholds
{
    private readonly FactCatalog catalog;
    private readonly Random random;
    private readonly double today;
    private bool complete;

    private SyntheticHouseholds(FactCatalog catalog, int seed, LocalDate today)
    {
        this.catalog = catalog;
        random = new Random(seed);
        this.today = FactSheet.FromDate(today);
    }

    /// <summary>Share of households with every fact known.</summary>
    public const double CompleteShare = 1.0 / 3;

    /// <summary><paramref name="count"/> sheets in <paramref name="catalog"/> order for a run on <paramref name="today"/>.</summary>
    public static double[][] Generate(FactCatalog catalog, int count, int seed, LocalDate today)
    {
        var generator = new SyntheticHouseholds(catalog, seed, today);
        var sheets = new double[count][];
        for (var i = 0; i < count; i++)
        {
            sheets[i] = generator.Next();
        }

        return sheets;
    }

    /// <summary>True when no fact of the sheet is missing.</summary>
    public static bool IsComplete(double[] sheet) => !sheet.Any(double.IsNaN);

    private double[] Next()
    {
        var f = FactSheet.Empty(catalog);
        complete = random.NextDouble() < CompleteShare;

        var age = Known(0.96) ? random.Next(25, 91) : double.NaN;
        Set(f, "client.age", age);
        Set(f, "client.birth_date", double.IsNaN(age) ? double.NaN : today - (age * 365.25) - random.Next(0, 365));
        Set(f, "spouse.birth_date", Known(0.6) ? today - (random.Next(25, 91) * 365.25) : double.NaN);
        Set(f, "stage", Known(0.98) ? Pick(0.12, 0.82) : double.NaN);
        Set(f, "tier", Known(0.98) ? Pick(0.2, 0.55, 0.92) : double.NaN);
        Set(f, "dependants", Known(0.97) ? (random.NextDouble() < 0.5 ? 0 : random.Next(1, 5)) : double.NaN);
        Set(f, "members", random.Next(1, 7));

        var income = Known(0.92) ? (random.NextDouble() < 0.03 ? 0 : Dollars(Skewed(15_000, 600_000))) : double.NaN;
        Set(f, "income", income);
        var wealth = double.IsNaN(income) ? Skewed(50_000, 5_000_000) : Math.Max(income, 20_000) * (1 + (random.NextDouble() * 25));
        Set(f, "net_worth", Known(0.9) ? Dollars(wealth) : double.NaN);

        var homeowner = complete || random.NextDouble() < 0.72;
        var home = homeowner ? (random.NextDouble() < 0.03 ? 0 : Dollars(Skewed(150_000, 2_500_000))) : double.NaN;
        Set(f, "home.value", home);
        Set(f, "home.cover", homeowner && Known(0.85) ? Dollars(home * (0.6 + (random.NextDouble() * 0.6))) : double.NaN);
        var mortgage = homeowner && random.NextDouble() < 0.6;
        Set(f, "mortgage.balance", mortgage ? Dollars(home * (0.05 + random.NextDouble())) : Known(0.5) ? 0 : double.NaN);
        // A fully documented household without a mortgage still has the day its last fixed rate ended, years ago.
        Set(f, "mortgage.fixed_rate_ends", mortgage ? (Known(0.8) ? today + random.Next(-200, 1_500) : double.NaN) : complete ? today - random.Next(400, 4_000) : double.NaN);

        Set(f, "life.cover", Known(0.7) ? Dollars(Or(income, 100_000) * random.NextDouble() * 20) : double.NaN);
        Set(f, "disability.cover", Known(0.55) ? (random.NextDouble() < 0.35 ? 0 : Dollars(Or(income, 80_000) / 12 * (0.2 + (random.NextDouble() * 0.7)))) : double.NaN);

        Set(f, "retirement.savings", Known(0.85) ? Dollars(Or(income, 80_000) * random.NextDouble() * 12) : double.NaN);
        var goal = Known(0.6) ? (random.NextDouble() < 0.03 ? 0 : Dollars(Or(income, 80_000) * (0.5 + (random.NextDouble() * 0.5)))) : double.NaN;
        Set(f, "retirement.income_goal", goal);
        Set(f, "retirement.projected_income", Known(0.55) ? Dollars(Or(goal, 60_000) * (0.4 + (random.NextDouble() * 0.9))) : double.NaN);
        var required = age >= 73 ? (Known(0.8) ? Dollars(5_000 + (random.NextDouble() * 75_000)) : double.NaN) : (complete ? 0 : double.NaN);
        Set(f, "rmd.required", required);
        Set(f, "rmd.taken", !double.IsNaN(required) && Known(0.7) ? Dollars(required * random.NextDouble() * 1.2) : double.NaN);

        var cash = Known(0.9) ? Dollars(Skewed(0, 900_000)) : double.NaN;
        Set(f, "cash", cash);
        var portfolio = Known(0.85) ? (random.NextDouble() < 0.05 ? 0 : Dollars(Skewed(10_000, 10_000_000))) : double.NaN;
        Set(f, "portfolio.value", portfolio);
        Set(f, "investable_assets", Or(cash, 0) + Or(portfolio, 0));
        Set(f, "portfolio.largest_position", Known(0.8) ? Math.Round(3 + (random.NextDouble() * 57), 1) : double.NaN);
        Set(f, "portfolio.equity", Known(0.85) ? Math.Round(10 + (random.NextDouble() * 85), 1) : double.NaN);
        Set(f, "model.equity", Known(0.75) ? 20 + (5 * random.Next(0, 15)) : double.NaN);

        Set(f, "ips.reviewed_on", Known(0.7) ? today - random.Next(0, 900) : double.NaN);
        Set(f, "beneficiaries.reviewed_on", Known(0.65) ? today - random.Next(0, 2_000) : double.NaN);
        Set(f, "will.exists", Known(0.7) ? (random.NextDouble() < 0.6 ? 1 : 0) : double.NaN);
        double[] brackets = [10, 12, 22, 24, 32, 35, 37];
        Set(f, "tax.bracket", Known(0.85) ? brackets[random.Next(brackets.Length)] : double.NaN);
        Set(f, "tax.unrealized_losses", Known(0.7) ? Dollars(Skewed(0, 80_000)) : double.NaN);
        Set(f, "ira.pretax_balance", Known(0.75) ? Dollars(Skewed(0, 2_000_000)) : double.NaN);

        Set(f, "touchpoint.last_held_on", Known(0.85) ? today - random.Next(0, 600) : double.NaN);
        Set(f, "discrepancies", Known(0.99) ? Math.Floor(Skewed(0, 16)) : double.NaN);
        Set(f, "stale_facts", Known(0.99) ? random.Next(0, 13) : double.NaN);
        return f;
    }

    private void Set(double[] sheet, string key, double value) => sheet[catalog.Get(key).Ordinal] = value;

    /// <summary>Whether a fact is on file: always for a fully documented household, otherwise with probability <paramref name="p"/>.</summary>
    private bool Known(double p) => complete || random.NextDouble() < p;

    /// <summary>An option index: 0 below the first bound, 1 below the second, and so on.</summary>
    private double Pick(params double[] bounds)
    {
        var x = random.NextDouble();
        var i = 0;
        while (i < bounds.Length && x >= bounds[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>Most values near the low end, a long tail up to <paramref name="max"/>, as amounts are spread in a real book.</summary>
    private double Skewed(double min, double max)
    {
        var x = random.NextDouble();
        return min + ((max - min) * x * x);
    }

    private static double Dollars(double value) => Math.Round(value);

    private static double Or(double value, double fallback) => double.IsNaN(value) ? fallback : value;
}
