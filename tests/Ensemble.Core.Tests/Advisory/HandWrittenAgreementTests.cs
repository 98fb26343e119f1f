using Ensemble.Advisory;
using Ensemble.Bench.Advisory;
using NodaTime;

namespace Ensemble.Core.Tests.Advisory;

/// <summary>
/// The compiled default framework against the same 27 rules written by hand (HandWritten/, which the benchmark
/// also times): any difference in any outcome — raised, which variant, not raised, could not evaluate — is a bug
/// in one of them.
/// </summary>
public sealed class HandWrittenAgreementTests
{
    private const int Households = 100_000;

    [Fact]
    public void TheCompiledFramework_AndTheSameRulesWrittenByHand_GiveTheSameOutcome_For100000Households_OnThreeDays()
    {
        var framework = BuiltInFramework.Framework;
        HandWrittenRules.CheckCatalog(framework.Catalog);
        Assert.Equal(HandWrittenRules.Keys, framework.Rules.Select(r => r.Key));
        var total = framework.Rules.Select(_ => new long[5]).ToArray();

        // November, December and June reach every month-dependent variant (RMD in December, Roth conversions before October…).
        foreach (var today in new[] { new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 15), new LocalDate(2026, 6, 15) })
        {
            var sheets = SyntheticHouseholds.Generate(framework.Catalog, Households, 20261130, today);

            var tally = Agreement.Check(framework, sheets, Households, today);

            for (var r = 0; r < tally.Length; r++)
            {
                for (var o = 0; o < tally[r].Length; o++)
                {
                    total[r][o] += tally[r][o];
                }
            }
        }

        Agreement.RequireCoverage(framework, total, 3 * Households);
        for (var r = 0; r < total.Length; r++)
        {
            var rule = framework.Rules[r];
            for (var v = 0; v < rule.Variants.Count; v++)
            {
                Assert.True(total[r][v + 2] > 0, $"{rule.TypeKey(v)} is never raised by the synthetic book");
            }
        }

        Assert.True(total.Sum(t => t[0]) > 0, "no household had a fact missing that a rule needed");
    }
}
