using System.Runtime.CompilerServices;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Bench.Advisory;

/// <summary>
/// The 27 rules of library/advisory/framework.rules written by hand in plain C#, over the same fact sheet
/// (NaN = not known) and with the same outcomes (-1 could not evaluate, 0 not raised, k = variant k): the
/// yardstick the compiled framework must stay within 1.5× of.
/// </summary>
/// <remarks>
/// Each rule's <c>when</c> is an "and" of conditions that are true, false or not known. Such an "and" is false
/// as soon as one condition is false, whatever the others are, so every method first returns
/// <see cref="NotRaised"/> on a condition that is definitely false (an ordinary comparison, false for NaN),
/// and only then asks whether anything it needed was not known. Facts are finite or NaN; products and
/// quotients that overflow count as not known, as in the rule language.
/// </remarks>
internal static class HandWrittenRules
{
    public const int CouldNotEvaluate = -1;
    public const int NotRaised = 0;

    /// <summary>The rules in framework-file order, which is the order of the outcomes.</summary>
    public static readonly string[] Keys =
    [
        "mortgage.rate-ending", "mortgage.rate-lapsed", "mortgage.high-loan-to-value",
        "insurance.home-underinsured", "insurance.life-cover-low", "insurance.no-disability-cover", "insurance.disability-cover-low",
        "retirement.income-shortfall", "retirement.rmd-not-taken", "retirement.savings-low-for-age", "retirement.equity-heavy-near-retirement",
        "investments.excess-cash", "investments.concentration", "investments.allocation-drift", "investments.ips-review-overdue",
        "estate.beneficiaries-not-reviewed", "estate.no-will-with-dependants", "estate.will-not-known-later-life",
        "tax.roth-conversion-window", "tax.loss-harvesting", "cashflow.thin-emergency-reserve",
        "data.many-discrepancies", "data.stale-facts", "data.no-birth-date", "data.no-income",
        "service.a-household-unseen", "service.b-household-unseen",
    ];

    /// <summary>Evaluates all 27 rules for one household into <paramref name="outcomes"/>.</summary>
    public static void Evaluate(double[] f, in HandWrittenDay d, int[] outcomes)
    {
        outcomes[0] = MortgageRateEnding(f, d);
        outcomes[1] = MortgageRateLapsed(f, d);
        outcomes[2] = MortgageHighLoanToValue(f);
        outcomes[3] = HomeUnderinsured(f);
        outcomes[4] = LifeCoverLow(f);
        outcomes[5] = NoDisabilityCover(f);
        outcomes[6] = DisabilityCoverLow(f);
        outcomes[7] = RetirementIncomeShortfall(f);
        outcomes[8] = RmdNotTaken(f, d);
        outcomes[9] = SavingsLowForAge(f);
        outcomes[10] = EquityHeavyNearRetirement(f);
        outcomes[11] = ExcessCash(f);
        outcomes[12] = Concentration(f);
        outcomes[13] = AllocationDrift(f);
        outcomes[14] = IpsReviewOverdue(f, d);
        outcomes[15] = BeneficiariesNotReviewed(f, d);
        outcomes[16] = NoWillWithDependants(f);
        outcomes[17] = WillNotKnownLaterLife(f);
        outcomes[18] = RothConversionWindow(f, d);
        outcomes[19] = LossHarvesting(f, d);
        outcomes[20] = ThinEmergencyReserve(f);
        outcomes[21] = ManyDiscrepancies(f);
        outcomes[22] = StaleFacts(f);
        outcomes[23] = NoBirthDate(f);
        outcomes[24] = NoIncome(f);
        outcomes[25] = AHouseholdUnseen(f, d);
        outcomes[26] = BHouseholdUnseen(f, d);
    }

    /// <summary>Fails loudly if the catalog no longer has the facts where these rules read them.</summary>
    public static void CheckCatalog(FactCatalog catalog)
    {
        (string Key, int Ordinal)[] expected =
        [
            ("income", Fact.Income), ("home.value", Fact.HomeValue), ("home.cover", Fact.HomeCover), ("mortgage.balance", Fact.MortgageBalance),
            ("mortgage.fixed_rate_ends", Fact.MortgageFixedRateEnds), ("life.cover", Fact.LifeCover), ("disability.cover", Fact.DisabilityCover),
            ("retirement.savings", Fact.RetirementSavings), ("retirement.income_goal", Fact.RetirementIncomeGoal),
            ("retirement.projected_income", Fact.RetirementProjectedIncome), ("rmd.required", Fact.RmdRequired), ("rmd.taken", Fact.RmdTaken),
            ("cash", Fact.Cash), ("portfolio.value", Fact.PortfolioValue), ("portfolio.largest_position", Fact.PortfolioLargestPosition),
            ("portfolio.equity", Fact.PortfolioEquity), ("model.equity", Fact.ModelEquity), ("ips.reviewed_on", Fact.IpsReviewedOn),
            ("beneficiaries.reviewed_on", Fact.BeneficiariesReviewedOn), ("will.exists", Fact.WillExists), ("tax.bracket", Fact.TaxBracket),
            ("tax.unrealized_losses", Fact.TaxUnrealizedLosses), ("ira.pretax_balance", Fact.IraPretaxBalance), ("client.age", Fact.ClientAge),
            ("dependants", Fact.Dependants), ("touchpoint.last_held_on", Fact.TouchpointLastHeldOn), ("discrepancies", Fact.Discrepancies),
            ("stale_facts", Fact.StaleFacts), ("tier", Fact.Tier), ("stage", Fact.Stage),
        ];
        foreach (var (key, ordinal) in expected)
        {
            if (catalog.Get(key).Ordinal != ordinal)
            {
                throw new InvalidOperationException($"The hand-written rules read {key} at {ordinal}, but the catalog now has it at {catalog.Get(key).Ordinal}.");
            }
        }
    }

    private static int MortgageRateEnding(double[] f, in HandWrittenDay d)
    {
        var ends = f[Fact.MortgageFixedRateEnds];
        if (double.IsNaN(ends))
        {
            return NotRaised;
        }

        var daysLeft = ends - d.Today;
        if (daysLeft < 0 || daysLeft > 183)
        {
            return NotRaised;
        }

        return daysLeft <= 14 ? 1 : 2;
    }

    private static int MortgageRateLapsed(double[] f, in HandWrittenDay d)
    {
        var ends = f[Fact.MortgageFixedRateEnds];
        var balance = f[Fact.MortgageBalance];
        return !double.IsNaN(ends) && ends < d.Today && ends >= d.DaysAgo90 && KnownOr(balance, 0) > 0 ? 1 : NotRaised;
    }

    private static int MortgageHighLoanToValue(double[] f)
    {
        var balance = f[Fact.MortgageBalance];
        var home = f[Fact.HomeValue];
        if (double.IsNaN(balance) || double.IsNaN(home) || home <= 0)
        {
            return NotRaised;
        }

        var loanToValue = Finite(Finite(balance / home) * 100);
        if (!(loanToValue > 80))
        {
            return double.IsNaN(loanToValue) ? CouldNotEvaluate : NotRaised;
        }

        return loanToValue > 95 ? 1 : 2;
    }

    private static int HomeUnderinsured(double[] f)
    {
        var home = f[Fact.HomeValue];
        var cover = f[Fact.HomeCover];
        if (double.IsNaN(home) || double.IsNaN(cover) || cover >= home)
        {
            return NotRaised;
        }

        var covered = Finite(Finite(cover / home) * 100);
        return covered < 80 ? 1 : covered >= 80 ? 2 : CouldNotEvaluate;
    }

    private static int LifeCoverLow(double[] f)
    {
        var income = f[Fact.Income];
        if (double.IsNaN(income))
        {
            return NotRaised;
        }

        var needed = Finite(income * 10);
        var held = KnownOr(f[Fact.LifeCover], 0);
        var dependants = f[Fact.Dependants];
        if (dependants <= 0 || held >= needed)
        {
            return NotRaised;
        }

        if (double.IsNaN(dependants) || double.IsNaN(needed))
        {
            return CouldNotEvaluate;
        }

        return ByAge(f[Fact.ClientAge], 45, under: 1, from: 2);
    }

    private static int NoDisabilityCover(double[] f)
    {
        var income = f[Fact.Income];
        var age = f[Fact.ClientAge];
        // "= 0" on money means "to the cent", as the rule language compares amounts.
        if (double.IsNaN(income) || income <= 0 || age >= 60 || Math.Abs(KnownOr(f[Fact.DisabilityCover], 0)) >= 0.005)
        {
            return NotRaised;
        }

        return double.IsNaN(age) ? CouldNotEvaluate : 1;
    }

    private static int DisabilityCoverLow(double[] f)
    {
        var income = f[Fact.Income];
        var cover = f[Fact.DisabilityCover];
        if (double.IsNaN(income) || income <= 0 || double.IsNaN(cover) || cover <= 0)
        {
            return NotRaised;
        }

        var replaced = Finite(Finite(Finite(cover * 12) / income) * 100);
        return replaced < 60 ? 1 : replaced >= 60 ? NotRaised : CouldNotEvaluate;
    }

    private static int RetirementIncomeShortfall(double[] f)
    {
        var goal = f[Fact.RetirementIncomeGoal];
        var projected = f[Fact.RetirementProjectedIncome];
        if (double.IsNaN(goal) || double.IsNaN(projected) || goal <= 0)
        {
            return NotRaised;
        }

        var coverage = Finite(Finite(projected / goal) * 100);
        if (!(coverage < 80))
        {
            return double.IsNaN(coverage) ? CouldNotEvaluate : NotRaised;
        }

        var age = f[Fact.ClientAge];
        return age >= 55 ? 1 : age >= 45 ? 2 : age < 45 ? 3 : CouldNotEvaluate;
    }

    private static int RmdNotTaken(double[] f, in HandWrittenDay d)
    {
        var required = f[Fact.RmdRequired];
        var age = f[Fact.ClientAge];
        if (d.Month < 10 || double.IsNaN(required) || age < 73 || required - KnownOr(f[Fact.RmdTaken], 0) <= 0)
        {
            return NotRaised;
        }

        if (double.IsNaN(age))
        {
            return CouldNotEvaluate;
        }

        return d.Month == 12 ? 1 : 2;
    }

    private static int SavingsLowForAge(double[] f)
    {
        var savings = f[Fact.RetirementSavings];
        var income = f[Fact.Income];
        var age = f[Fact.ClientAge];
        if (double.IsNaN(savings) || double.IsNaN(income) || income <= 0 || age < 50)
        {
            return NotRaised;
        }

        var yearsOfIncome = Finite(savings / income);
        if (yearsOfIncome >= 3)
        {
            return NotRaised;
        }

        return double.IsNaN(age) || double.IsNaN(yearsOfIncome) ? CouldNotEvaluate : 1;
    }

    private static int EquityHeavyNearRetirement(double[] f)
    {
        var equity = f[Fact.PortfolioEquity];
        var age = f[Fact.ClientAge];
        if (double.IsNaN(equity) || equity <= 70 || age < 60 || age >= 75)
        {
            return NotRaised;
        }

        return double.IsNaN(age) ? CouldNotEvaluate : 1;
    }

    private static int ExcessCash(double[] f)
    {
        var cash = f[Fact.Cash];
        var income = f[Fact.Income];
        if (double.IsNaN(cash) || double.IsNaN(income))
        {
            return NotRaised;
        }

        var excess = cash - Finite(income / 2);
        if (!(excess > 50_000))
        {
            return double.IsNaN(excess) ? CouldNotEvaluate : NotRaised;
        }

        return excess > 500_000 ? 1 : 2;
    }

    private static int Concentration(double[] f)
    {
        var largest = f[Fact.PortfolioLargestPosition];
        return largest > 35 ? 1 : largest > 20 ? 2 : NotRaised;
    }

    private static int AllocationDrift(double[] f)
    {
        var drift = Math.Abs(f[Fact.PortfolioEquity] - f[Fact.ModelEquity]);
        return drift > 10 ? 1 : drift > 5 ? 2 : NotRaised;
    }

    private static int IpsReviewOverdue(double[] f, in HandWrittenDay d)
    {
        var reviewed = f[Fact.IpsReviewedOn];
        var stage = f[Fact.Stage];
        if (reviewed >= d.YearsAgo1 || KnownOr(f[Fact.PortfolioValue], 0) <= 0 || (stage != Stage.Client && !double.IsNaN(stage)))
        {
            return NotRaised;
        }

        if (double.IsNaN(stage))
        {
            return CouldNotEvaluate;
        }

        return double.IsNaN(reviewed) ? 1 : 2;
    }

    private static int BeneficiariesNotReviewed(double[] f, in HandWrittenDay d)
    {
        var reviewed = f[Fact.BeneficiariesReviewedOn];
        var stage = f[Fact.Stage];
        if (reviewed >= d.YearsAgo3 || (stage != Stage.Client && !double.IsNaN(stage)))
        {
            return NotRaised;
        }

        if (double.IsNaN(stage))
        {
            return CouldNotEvaluate;
        }

        return double.IsNaN(reviewed) ? 1 : 2;
    }

    private static int NoWillWithDependants(double[] f)
    {
        // "not known_or(will.exists, no)": a will on record settles it; no record counts as no will.
        var will = KnownOr(f[Fact.WillExists], 0);
        var dependants = f[Fact.Dependants];
        if (will == 1 || dependants <= 0)
        {
            return NotRaised;
        }

        if (double.IsNaN(dependants) || will != 0)
        {
            return CouldNotEvaluate;
        }

        return ByAge(f[Fact.ClientAge], 60, under: 2, from: 1);
    }

    private static int WillNotKnownLaterLife(double[] f)
    {
        var age = f[Fact.ClientAge];
        if (!double.IsNaN(f[Fact.WillExists]) || age < 65)
        {
            return NotRaised;
        }

        return double.IsNaN(age) ? CouldNotEvaluate : 1;
    }

    private static int RothConversionWindow(double[] f, in HandWrittenDay d)
    {
        var pretax = f[Fact.IraPretaxBalance];
        var bracket = f[Fact.TaxBracket];
        var age = f[Fact.ClientAge];
        if (double.IsNaN(pretax) || pretax <= 100_000 || double.IsNaN(bracket) || bracket > 24 || age < 55 || age >= 73)
        {
            return NotRaised;
        }

        if (double.IsNaN(age))
        {
            return CouldNotEvaluate;
        }

        return d.Month >= 10 ? 1 : 2;
    }

    private static int LossHarvesting(double[] f, in HandWrittenDay d)
    {
        var losses = f[Fact.TaxUnrealizedLosses];
        if (!(losses > 10_000))
        {
            return NotRaised;
        }

        return d.Month >= 11 ? 1 : 2;
    }

    private static int ThinEmergencyReserve(double[] f)
    {
        var cash = f[Fact.Cash];
        var income = f[Fact.Income];
        if (double.IsNaN(cash) || double.IsNaN(income) || income <= 0)
        {
            return NotRaised;
        }

        var target = Finite(income / 4);
        return cash < target ? 1 : cash >= target ? NotRaised : CouldNotEvaluate;
    }

    private static int ManyDiscrepancies(double[] f) => CountBand(f[Fact.Discrepancies], 3, 10);

    private static int StaleFacts(double[] f) => CountBand(f[Fact.StaleFacts], 3, 8);

    private static int NoBirthDate(double[] f) => ClientWithout(f, f[Fact.ClientAge]);

    private static int NoIncome(double[] f) => ClientWithout(f, f[Fact.Income]);

    private static int AHouseholdUnseen(double[] f, in HandWrittenDay d)
    {
        var tier = f[Fact.Tier];
        var lastHeld = f[Fact.TouchpointLastHeldOn];
        if (lastHeld >= d.MonthsAgo6 || (tier != Tier.A && !double.IsNaN(tier)))
        {
            return NotRaised;
        }

        if (double.IsNaN(tier))
        {
            return CouldNotEvaluate;
        }

        return double.IsNaN(lastHeld) ? 1 : 2;
    }

    private static int BHouseholdUnseen(double[] f, in HandWrittenDay d)
    {
        var tier = f[Fact.Tier];
        var lastHeld = f[Fact.TouchpointLastHeldOn];
        if (!(lastHeld < d.MonthsAgo12) || (tier != Tier.B && !double.IsNaN(tier)))
        {
            return NotRaised;
        }

        return double.IsNaN(tier) ? CouldNotEvaluate : 1;
    }

    /// <summary>A count rule: not known, below the first threshold, between the two (variant 2), or from the second (variant 1).</summary>
    private static int CountBand(double count, double from, double high) =>
        count >= high ? 1 : count >= from ? 2 : count < from ? NotRaised : CouldNotEvaluate;

    /// <summary>A client (not a prospect) missing a fact; a household whose stage is not known could not be evaluated.</summary>
    private static int ClientWithout(double[] f, double fact)
    {
        var stage = f[Fact.Stage];
        if (!double.IsNaN(fact) || (stage != Stage.Client && !double.IsNaN(stage)))
        {
            return NotRaised;
        }

        return double.IsNaN(stage) ? CouldNotEvaluate : 1;
    }

    /// <summary>Variant by the primary client's age: <paramref name="under"/> below the bound, <paramref name="from"/> at or above it.</summary>
    private static int ByAge(double age, double bound, int under, int from) =>
        age < bound ? under : age >= bound ? from : CouldNotEvaluate;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double KnownOr(double value, double fallback) => double.IsNaN(value) ? fallback : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Finite(double value) => double.IsFinite(value) ? value : double.NaN;

    /// <summary>Fact-sheet positions in <see cref="FactCatalog.Default"/>; <see cref="CheckCatalog"/> proves them.</summary>
    private static class Fact
    {
        public const int Income = 2;
        public const int HomeValue = 4;
        public const int HomeCover = 5;
        public const int MortgageBalance = 6;
        public const int MortgageFixedRateEnds = 7;
        public const int LifeCover = 8;
        public const int DisabilityCover = 9;
        public const int RetirementSavings = 10;
        public const int RetirementIncomeGoal = 11;
        public const int RetirementProjectedIncome = 12;
        public const int RmdRequired = 13;
        public const int RmdTaken = 14;
        public const int Cash = 15;
        public const int PortfolioValue = 16;
        public const int PortfolioLargestPosition = 17;
        public const int PortfolioEquity = 18;
        public const int ModelEquity = 19;
        public const int IpsReviewedOn = 20;
        public const int BeneficiariesReviewedOn = 21;
        public const int WillExists = 22;
        public const int TaxBracket = 23;
        public const int TaxUnrealizedLosses = 24;
        public const int IraPretaxBalance = 25;
        public const int ClientAge = 26;
        public const int Dependants = 27;
        public const int TouchpointLastHeldOn = 30;
        public const int Discrepancies = 31;
        public const int StaleFacts = 32;
        public const int Tier = 33;
        public const int Stage = 34;
    }

    /// <summary>Option indexes of the choice facts.</summary>
    private static class Tier
    {
        public const double A = 0;
        public const double B = 1;
    }

    private static class Stage
    {
        public const double Client = 1;
    }
}

/// <summary>The run's day as the hand-written rules read it: today and the dates the framework counts back to.</summary>
internal readonly record struct HandWrittenDay(double Today, double Month, double DaysAgo90, double YearsAgo1, double YearsAgo3, double MonthsAgo6, double MonthsAgo12)
{
    public static HandWrittenDay For(LocalDate today) => new(
        FactSheet.FromDate(today),
        today.Month,
        FactSheet.FromDate(today.PlusDays(-90)),
        FactSheet.FromDate(today.PlusYears(-1)),
        FactSheet.FromDate(today.PlusYears(-3)),
        FactSheet.FromDate(today.PlusMonths(-6)),
        FactSheet.FromDate(today.PlusMonths(-12)));
}
