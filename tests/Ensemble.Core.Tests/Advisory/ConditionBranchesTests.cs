using System.Diagnostics;
using System.Text;
using Ensemble.Advisory;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Core.Tests.Advisory;

/// <summary>
/// Rules are compiled to branches that stop at the first condition that settles them. These tests hold the
/// branches to the three-valued tables of <see cref="RuleMath"/>: random and, or and not over conditions that
/// are true, false or not known, in a rule's 'when' and in a variant's 'if', for every combination of facts.
/// </summary>
public sealed class ConditionBranchesTests
{
    private static readonly LocalDate Today = new(2026, 11, 24);

    /// <summary>Conditions over one fact each, with the values that make them true, false and not known.</summary>
    private static readonly (string Text, string Fact, double True, double False, Func<double, double> Value)[] Atoms =
    [
        ("cash > 100", "cash", 200, 50, x => RuleMath.Less(100, x)),
        ("income <= 100", "income", 50, 200, x => RuleMath.LessOrEqual(x, 100)),
        ("will.exists", "will.exists", 1, 0, x => x),
        ("stage = \"client\"", "stage", 1, 0, x => RuleMath.Equal(x, 1)),
        ("known(home.value)", "home.value", 1, double.NaN, RuleMath.Known),
    ];

    [Fact]
    public void RandomAndOrNot_InWhenAndInAVariant_GiveTheThreeValuedOutcome_ForEveryCombinationOfFacts()
    {
        var random = new Random(5);
        var conditions = Enumerable.Range(0, 150).Select(_ => Node.Build(random, depth: 4)).ToList();
        var text = new StringBuilder();
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i].Text;
            text.AppendLine($"rule test.when{i} \"When {i}\"\n  category test\n  when {condition}\n  variant only \"Only\" at urgency 10 sensitivity 10\nend");
            text.AppendLine($"rule test.variant{i} \"Variant {i}\"\n  category test\n  when yes\n  variant first \"First\" if {condition} at urgency 10 sensitivity 10\n  variant other \"Other\" at urgency 10 sensitivity 10\nend");
        }

        var result = AdvisoryFramework.Load(text.ToString(), "random.rules", FactCatalog.Default);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var framework = result.Framework!;
        var day = framework.DayOf(Today);
        var outcomes = new int[framework.Rules.Count];
        var checkedSheets = 0;
        foreach (var sheet in EveryCombination())
        {
            framework.Evaluate(sheet, day, outcomes);
            for (var i = 0; i < conditions.Count; i++)
            {
                var expected = conditions[i].Value(sheet);
                var context = $"{conditions[i].Text} with {string.Join(", ", Atoms.Select(a => $"{a.Fact}={sheet[FactCatalog.Default.Get(a.Fact).Ordinal]}"))}";
                Assert.True(Outcome(expected, 1, 0) == outcomes[2 * i], $"when {context}: expected {expected}, got outcome {outcomes[2 * i]}");
                Assert.True(Outcome(expected, 1, 2) == outcomes[(2 * i) + 1], $"variant if {context}: expected {expected}, got outcome {outcomes[(2 * i) + 1]}");
            }

            checkedSheets++;
        }

        Assert.Equal(243, checkedSheets);
    }

    [Fact]
    public void ADeeplyNestedCondition_CompilesQuickly_AndStillDecides()
    {
        // Each level's right side is itself an 'and': code that copied the right side per outcome would double per level.
        var condition = string.Join(" and (", Enumerable.Repeat("cash > 100", 40)) + new string(')', 39);
        var watch = Stopwatch.StartNew();
        var result = AdvisoryFramework.Load(
            $"rule test.deep \"Deep\"\n  category test\n  when {condition}\n  variant only \"Only\" at urgency 10 sensitivity 10\nend", "deep.rules", FactCatalog.Default);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"compiling took {watch.Elapsed}");
        var framework = result.Framework!;
        var outcomes = new int[1];
        framework.Evaluate(Sheet(("cash", 200)), framework.DayOf(Today), outcomes);
        Assert.Equal(1, outcomes[0]);
        framework.Evaluate(Sheet(("cash", 50)), framework.DayOf(Today), outcomes);
        Assert.Equal(AdvisoryFramework.NotRaised, outcomes[0]);
        framework.Evaluate(Sheet(), framework.DayOf(Today), outcomes);
        Assert.Equal(AdvisoryFramework.CouldNotEvaluate, outcomes[0]);
    }

    private static int Outcome(double condition, int whenTrue, int whenFalse) =>
        condition == 1 ? whenTrue : condition == 0 ? whenFalse : AdvisoryFramework.CouldNotEvaluate;

    private static IEnumerable<double[]> EveryCombination()
    {
        for (var combination = 0; combination < 243; combination++)
        {
            var sheet = FactSheet.Empty(FactCatalog.Default);
            var rest = combination;
            foreach (var atom in Atoms)
            {
                sheet[FactCatalog.Default.Get(atom.Fact).Ordinal] = (rest % 3) switch { 0 => atom.True, 1 => atom.False, _ => double.NaN };
                rest /= 3;
            }

            yield return sheet;
        }
    }

    private static double[] Sheet(params (string Key, double Value)[] facts)
    {
        var sheet = FactSheet.Empty(FactCatalog.Default);
        foreach (var (key, value) in facts)
        {
            sheet[FactCatalog.Default.Get(key).Ordinal] = value;
        }

        return sheet;
    }

    /// <summary>A random condition: its text in the rule language and its value by <see cref="RuleMath"/>.</summary>
    private sealed record Node(string Text, Func<double[], double> Value)
    {
        public static Node Build(Random random, int depth)
        {
            var pick = depth == 0 ? 0 : random.Next(5);
            switch (pick)
            {
                case 0 or 1:
                    var atom = Atoms[random.Next(Atoms.Length)];
                    var ordinal = FactCatalog.Default.Get(atom.Fact).Ordinal;
                    return new Node(atom.Text, sheet => atom.Value(sheet[ordinal]));
                case 2:
                    var operand = Build(random, depth - 1);
                    return new Node($"not ({operand.Text})", sheet => RuleMath.Not(operand.Value(sheet)));
                default:
                    var left = Build(random, depth - 1);
                    var right = Build(random, depth - 1);
                    return pick == 3
                        ? new Node($"({left.Text}) and ({right.Text})", sheet => RuleMath.And(left.Value(sheet), right.Value(sheet)))
                        : new Node($"({left.Text}) or ({right.Text})", sheet => RuleMath.Or(left.Value(sheet), right.Value(sheet)));
            }
        }
    }
}
