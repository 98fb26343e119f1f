using System.Globalization;
using Ensemble.Advisory;
using NodaTime;

namespace Ensemble.Bench.Advisory;

/// <summary>
/// Proves the compiled framework and the hand-written rules give the same outcome for every rule and household
/// before either is timed, and that the synthetic book exercises every rule: raised for some households, not
/// for others. A disagreement stops the scenario with the household's facts, so it can be turned into a test.
/// </summary>
internal static class Agreement
{
    /// <summary>Outcome counts per rule: [rule][outcome + 1] for outcomes -1 (could not evaluate), 0 and variants 1–3.</summary>
    public static long[][] Check(AdvisoryFramework framework, double[][] sheets, int count, LocalDate today)
    {
        var day = framework.DayOf(today);
        var hand = HandWrittenDay.For(today);
        var rules = framework.Rules.Count;
        var expected = new int[rules];
        var actual = new int[rules];
        var tally = Enumerable.Range(0, rules).Select(_ => new long[5]).ToArray();
        for (var i = 0; i < count; i++)
        {
            framework.Evaluate(sheets[i], day, expected);
            HandWrittenRules.Evaluate(sheets[i], hand, actual);
            for (var r = 0; r < rules; r++)
            {
                if (expected[r] != actual[r])
                {
                    throw new InvalidOperationException(
                        $"On {today:yyyy-MM-dd}, household {i}: rule {framework.Rules[r].Key} is {expected[r]} compiled and {actual[r]} hand-written. " +
                        $"Facts: {Describe(framework, sheets[i])}");
                }

                tally[r][expected[r] + 1]++;
            }
        }

        return tally;
    }

    /// <summary>Fails when a rule is never raised or raised for every household: the book would not exercise it.</summary>
    public static void RequireCoverage(AdvisoryFramework framework, long[][] tally, long households)
    {
        for (var r = 0; r < tally.Length; r++)
        {
            var raised = tally[r].Skip(2).Sum();
            if (raised == 0 || tally[r][1] == 0)
            {
                throw new InvalidOperationException($"The synthetic book does not exercise {framework.Rules[r].Key}: raised for {raised} of {households} households.");
            }
        }
    }

    public static string Describe(AdvisoryFramework framework, double[] sheet) => string.Join(", ",
        framework.Catalog.Facts.Select(f => $"{f.Key}={sheet[f.Ordinal].ToString(CultureInfo.InvariantCulture)}"));
}
