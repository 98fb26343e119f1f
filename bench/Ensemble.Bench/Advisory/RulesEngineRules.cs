using System.Text.RegularExpressions;
using Ensemble.Consolidation;
using NodaTime;
using RulesEngine.Models;

namespace Ensemble.Bench.Advisory;

/// <summary>
/// The same 27 rules as Microsoft RulesEngine workflow rules: lambda expressions over a household object whose
/// facts are nullable properties (null = not known) and the run's day. A rule's variants are separate
/// RulesEngine rules, the most specific first; the outcome is the first variant that succeeds.
/// </summary>
/// <remarks>
/// What differs from the rule language: RulesEngine's expressions are two-valued. A comparison with a missing
/// fact is false (C#'s lifted operators), so where Ensemble says "could not evaluate" RulesEngine says "not
/// raised" — or, for a variant condition such as <c>h.ClientAge &lt; 45</c>, falls through to the next variant.
/// Overflow is not turned into "not known" either. On households with every fact known the outcomes are the
/// same, raised or not and which variant; the scenario checks exactly that.
/// </remarks>
internal sealed class RulesEngineRules
{
    public const string WorkflowName = "advisory";

    private static readonly (string Key, string[] Lets, string When, string[] VariantConditions)[] Definitions =
    [
        ("mortgage.rate-ending", ["daysLeft = h.MortgageFixedRateEnds - d.Today"],
            "h.MortgageFixedRateEnds != null && daysLeft >= 0 && daysLeft <= 183", ["daysLeft <= 14"]),
        ("mortgage.rate-lapsed", [],
            "h.MortgageFixedRateEnds != null && h.MortgageFixedRateEnds < d.Today && h.MortgageFixedRateEnds >= d.DaysAgo90 && (h.MortgageBalance ?? 0) > 0", []),
        ("mortgage.high-loan-to-value", ["loanToValue = h.MortgageBalance / h.HomeValue * 100"],
            "h.MortgageBalance != null && h.HomeValue != null && h.HomeValue > 0 && loanToValue > 80", ["loanToValue > 95"]),
        ("insurance.home-underinsured", ["covered = h.HomeCover / h.HomeValue * 100"],
            "h.HomeValue != null && h.HomeCover != null && h.HomeCover < h.HomeValue", ["covered < 80"]),
        ("insurance.life-cover-low", ["needed = h.Income * 10", "held = h.LifeCover ?? 0"],
            "h.Income != null && h.Dependants > 0 && held < needed", ["h.ClientAge < 45"]),
        ("insurance.no-disability-cover", [],
            "h.Income != null && h.Income > 0 && h.ClientAge < 60 && (h.DisabilityCover ?? 0) == 0", []),
        ("insurance.disability-cover-low", ["replaced = h.DisabilityCover * 12 / h.Income * 100"],
            "h.Income != null && h.Income > 0 && h.DisabilityCover != null && h.DisabilityCover > 0 && replaced < 60", []),
        ("retirement.income-shortfall", ["coverage = h.RetirementProjectedIncome / h.RetirementIncomeGoal * 100"],
            "h.RetirementIncomeGoal != null && h.RetirementProjectedIncome != null && h.RetirementIncomeGoal > 0 && coverage < 80",
            ["h.ClientAge >= 55", "h.ClientAge >= 45"]),
        ("retirement.rmd-not-taken", ["remaining = h.RmdRequired - (h.RmdTaken ?? 0)"],
            "h.ClientAge >= 73 && d.Month >= 10 && h.RmdRequired != null && remaining > 0", ["d.Month == 12"]),
        ("retirement.savings-low-for-age", ["yearsOfIncome = h.RetirementSavings / h.Income"],
            "h.RetirementSavings != null && h.Income != null && h.Income > 0 && h.ClientAge >= 50 && yearsOfIncome < 3", []),
        ("retirement.equity-heavy-near-retirement", [],
            "h.ClientAge >= 60 && h.ClientAge < 75 && h.PortfolioEquity != null && h.PortfolioEquity > 70", []),
        ("investments.excess-cash", ["excess = h.Cash - h.Income / 2"],
            "h.Cash != null && h.Income != null && excess > 50000", ["excess > 500000"]),
        ("investments.concentration", [],
            "h.PortfolioLargestPosition != null && h.PortfolioLargestPosition > 20", ["h.PortfolioLargestPosition > 35"]),
        ("investments.allocation-drift", ["drift = h.PortfolioEquity - h.ModelEquity"],
            "h.PortfolioEquity != null && h.ModelEquity != null && (drift > 5 || drift < -5)", ["drift > 10 || drift < -10"]),
        ("investments.ips-review-overdue", [],
            "h.Stage == \"client\" && (h.PortfolioValue ?? 0) > 0 && (h.IpsReviewedOn == null || h.IpsReviewedOn < d.YearsAgo1)", ["h.IpsReviewedOn == null"]),
        ("estate.beneficiaries-not-reviewed", [],
            "h.Stage == \"client\" && (h.BeneficiariesReviewedOn == null || h.BeneficiariesReviewedOn < d.YearsAgo3)", ["h.BeneficiariesReviewedOn == null"]),
        ("estate.no-will-with-dependants", [],
            "h.Dependants > 0 && !(h.WillExists ?? false)", ["h.ClientAge >= 60"]),
        ("estate.will-not-known-later-life", [],
            "h.ClientAge >= 65 && h.WillExists == null", []),
        ("tax.roth-conversion-window", [],
            "h.IraPretaxBalance != null && h.IraPretaxBalance > 100000 && h.ClientAge >= 55 && h.ClientAge < 73 && h.TaxBracket != null && h.TaxBracket <= 24",
            ["d.Month >= 10"]),
        ("tax.loss-harvesting", [],
            "h.TaxUnrealizedLosses != null && h.TaxUnrealizedLosses > 10000", ["d.Month >= 11"]),
        ("cashflow.thin-emergency-reserve", ["reserveTarget = h.Income / 4"],
            "h.Cash != null && h.Income != null && h.Income > 0 && h.Cash < reserveTarget", []),
        ("data.many-discrepancies", [], "h.Discrepancies >= 3", ["h.Discrepancies >= 10"]),
        ("data.stale-facts", [], "h.StaleFacts >= 3", ["h.StaleFacts >= 8"]),
        ("data.no-birth-date", [], "h.Stage == \"client\" && h.ClientAge == null", []),
        ("data.no-income", [], "h.Stage == \"client\" && h.Income == null", []),
        ("service.a-household-unseen", [],
            "h.Tier == \"A\" && (h.TouchpointLastHeldOn == null || h.TouchpointLastHeldOn < d.MonthsAgo6)", ["h.TouchpointLastHeldOn == null"]),
        ("service.b-household-unseen", [],
            "h.Tier == \"B\" && h.TouchpointLastHeldOn != null && h.TouchpointLastHeldOn < d.MonthsAgo12", []),
    ];

    private readonly global::RulesEngine.RulesEngine engine;
    private readonly Dictionary<string, (int Rule, int Variant)> outcomeOf;

    public RulesEngineRules()
    {
        var rules = new List<Rule>();
        outcomeOf = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var r = 0; r < Definitions.Length; r++)
        {
            var (key, lets, when, variants) = Definitions[r];

            // A named value is written into the expressions that use it. RulesEngine's LocalParams say the same thing
            // more literally, but cost it a third of its speed here; the comparison gives it its faster form.
            foreach (var (name, expression) in lets.Select(l => l.Split(" = ", 2)).Select(p => (p[0], p[1])))
            {
                when = Substitute(when, name, expression);
                variants = variants.Select(v => Substitute(v, name, expression)).ToArray();
            }

            // Variant k is "when and its own condition"; the last variant is "when" alone and only counts if none before it succeeded.
            for (var v = 0; v <= variants.Length; v++)
            {
                var name = $"{key}#{v + 1}";
                rules.Add(new Rule
                {
                    RuleName = name,
                    RuleExpressionType = RuleExpressionType.LambdaExpression,
                    Expression = v < variants.Length ? $"({when}) && ({variants[v]})" : when,
                });
                outcomeOf[name] = (r, v + 1);
            }
        }

        RuleCount = rules.Count;
        engine = new global::RulesEngine.RulesEngine([new Workflow { WorkflowName = WorkflowName, Rules = rules }], reSettings: new ReSettings());
    }

    private static string Substitute(string expression, string name, string value) =>
        Regex.Replace(expression, $@"\b{name}\b", $"({value})", RegexOptions.CultureInvariant);

    public static IReadOnlyList<string> Keys => Definitions.Select(d => d.Key).ToList();

    /// <summary>RulesEngine rules in the workflow (a rule per variant).</summary>
    public int RuleCount { get; }

    /// <summary>Runs the workflow for one household and writes one outcome per rule, as the other two do.</summary>
    public async ValueTask EvaluateAsync(RulesEngineHousehold household, RuleParameter day, int[] outcomes)
    {
        var results = await engine.ExecuteAllRulesAsync(WorkflowName, new RuleParameter("h", household), day);
        Array.Clear(outcomes);
        foreach (var result in results)
        {
            if (!string.IsNullOrEmpty(result.ExceptionMessage))
            {
                throw new InvalidOperationException($"RulesEngine rule {result.Rule.RuleName} failed: {result.ExceptionMessage}");
            }

            var (rule, variant) = outcomeOf[result.Rule.RuleName];
            if (result.IsSuccess && outcomes[rule] == 0)
            {
                outcomes[rule] = variant;
            }
        }
    }
}

/// <summary>A household as RulesEngine reads it: one nullable property per fact the rules use.</summary>
internal sealed class RulesEngineHousehold
{
    public double? Income { get; init; }
    public double? HomeValue { get; init; }
    public double? HomeCover { get; init; }
    public double? MortgageBalance { get; init; }
    public double? MortgageFixedRateEnds { get; init; }
    public double? LifeCover { get; init; }
    public double? DisabilityCover { get; init; }
    public double? RetirementSavings { get; init; }
    public double? RetirementIncomeGoal { get; init; }
    public double? RetirementProjectedIncome { get; init; }
    public double? RmdRequired { get; init; }
    public double? RmdTaken { get; init; }
    public double? Cash { get; init; }
    public double? PortfolioValue { get; init; }
    public double? PortfolioLargestPosition { get; init; }
    public double? PortfolioEquity { get; init; }
    public double? ModelEquity { get; init; }
    public double? IpsReviewedOn { get; init; }
    public double? BeneficiariesReviewedOn { get; init; }
    public bool? WillExists { get; init; }
    public double? TaxBracket { get; init; }
    public double? TaxUnrealizedLosses { get; init; }
    public double? IraPretaxBalance { get; init; }
    public double? ClientAge { get; init; }
    public double? Dependants { get; init; }
    public double? TouchpointLastHeldOn { get; init; }
    public double? Discrepancies { get; init; }
    public double? StaleFacts { get; init; }
    public string? Tier { get; init; }
    public string? Stage { get; init; }

    /// <summary>The household of a fact sheet; choices become their option's name, as a RulesEngine user would write them.</summary>
    public static RulesEngineHousehold From(double[] sheet, FactCatalog catalog)
    {
        double? Get(string key) => double.IsNaN(sheet[catalog.Get(key).Ordinal]) ? null : sheet[catalog.Get(key).Ordinal];
        string? Choice(string key) => Get(key) is { } index ? catalog.Get(key).Options![(int)index] : null;
        return new RulesEngineHousehold
        {
            Income = Get("income"),
            HomeValue = Get("home.value"),
            HomeCover = Get("home.cover"),
            MortgageBalance = Get("mortgage.balance"),
            MortgageFixedRateEnds = Get("mortgage.fixed_rate_ends"),
            LifeCover = Get("life.cover"),
            DisabilityCover = Get("disability.cover"),
            RetirementSavings = Get("retirement.savings"),
            RetirementIncomeGoal = Get("retirement.income_goal"),
            RetirementProjectedIncome = Get("retirement.projected_income"),
            RmdRequired = Get("rmd.required"),
            RmdTaken = Get("rmd.taken"),
            Cash = Get("cash"),
            PortfolioValue = Get("portfolio.value"),
            PortfolioLargestPosition = Get("portfolio.largest_position"),
            PortfolioEquity = Get("portfolio.equity"),
            ModelEquity = Get("model.equity"),
            IpsReviewedOn = Get("ips.reviewed_on"),
            BeneficiariesReviewedOn = Get("beneficiaries.reviewed_on"),
            WillExists = Get("will.exists") is { } will ? will == 1 : null,
            TaxBracket = Get("tax.bracket"),
            TaxUnrealizedLosses = Get("tax.unrealized_losses"),
            IraPretaxBalance = Get("ira.pretax_balance"),
            ClientAge = Get("client.age"),
            Dependants = Get("dependants"),
            TouchpointLastHeldOn = Get("touchpoint.last_held_on"),
            Discrepancies = Get("discrepancies"),
            StaleFacts = Get("stale_facts"),
            Tier = Choice("tier"),
            Stage = Choice("stage"),
        };
    }
}

/// <summary>The run's day as RulesEngine reads it.</summary>
internal sealed class RulesEngineDay
{
    public double Today { get; init; }
    public double Month { get; init; }
    public double DaysAgo90 { get; init; }
    public double YearsAgo1 { get; init; }
    public double YearsAgo3 { get; init; }
    public double MonthsAgo6 { get; init; }
    public double MonthsAgo12 { get; init; }

    public static RulesEngineDay For(LocalDate today)
    {
        var d = HandWrittenDay.For(today);
        return new RulesEngineDay
        {
            Today = d.Today, Month = d.Month, DaysAgo90 = d.DaysAgo90, YearsAgo1 = d.YearsAgo1,
            YearsAgo3 = d.YearsAgo3, MonthsAgo6 = d.MonthsAgo6, MonthsAgo12 = d.MonthsAgo12,
        };
    }
}
