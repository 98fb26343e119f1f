using System.Globalization;
using System.Linq.Expressions;
using Ensemble.Consolidation;
using NodaTime;

namespace Ensemble.Advisory;

/// <summary>
/// The firm's advisory framework, compiled: every rule checked and turned into one delegate that evaluates all
/// rules for a household's fact sheet and writes one outcome per rule — no parsing, no allocation, no
/// reflection at evaluation time. Outcomes: 0 not raised, <see cref="CouldNotEvaluate"/>, or 1 + the index of
/// the variant raised.
/// </summary>
public sealed class AdvisoryFramework
{
    public const int NotRaised = 0;

    public const int CouldNotEvaluate = -1;

    private readonly Action<double[], double[], int[]> evaluate;
    private readonly Action<double[], double[], double[]>[] explainLets;
    private readonly RuleType[][] letTypes;
    private readonly int[][] factsRead;
    private readonly IReadOnlyList<DatePoint> datePoints;

    private AdvisoryFramework(
        FactCatalog catalog, string source, IReadOnlyList<AdvisoryRule> rules, Action<double[], double[], int[]> evaluate,
        Action<double[], double[], double[]>[] explainLets, RuleType[][] letTypes, int[][] factsRead, IReadOnlyList<DatePoint> datePoints)
    {
        Catalog = catalog;
        Source = source;
        Rules = rules;
        this.evaluate = evaluate;
        this.explainLets = explainLets;
        this.letTypes = letTypes;
        this.factsRead = factsRead;
        this.datePoints = datePoints;
    }

    public FactCatalog Catalog { get; }

    /// <summary>The framework file as written, for export and editing.</summary>
    public string Source { get; }

    public IReadOnlyList<AdvisoryRule> Rules { get; }

    /// <summary>Parses, type-checks and compiles a framework file; every problem is reported with its line and column.</summary>
    public static FrameworkLoadResult Load(string text, string file, FactCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<RuleDiagnostic>();
        var syntax = RuleParser.Parse(text, file, errors);
        var datePoints = new List<DatePoint>();
        var binder = new RuleBinder(catalog, file, errors, datePoints);
        var outcomes = Expression.Parameter(typeof(int[]), "o");
        var values = Expression.Parameter(typeof(double[]), "v");
        var ruleBodies = new List<Expression>();
        var rules = new List<AdvisoryRule>();
        var explainers = new List<Action<double[], double[], double[]>>();
        var letTypes = new List<RuleType[]>();
        var reads = new List<int[]>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in syntax)
        {
            if (!keys.Add(rule.Key))
            {
                errors.Add(new RuleDiagnostic(file, rule.Line, rule.Column, $"another rule is already called '{rule.Key}'"));
                continue;
            }

            var errorsBefore = errors.Count;
            var compiled = CompileRule(rule, rules.Count, binder, outcomes, values, file, errors);
            if (compiled is null || errors.Count > errorsBefore)
            {
                continue;
            }

            ruleBodies.Add(compiled.Value.Body);
            explainers.Add(compiled.Value.Explain);
            letTypes.Add(compiled.Value.LetTypes);
            reads.Add([.. binder.FactsRead]);
            rules.Add(new AdvisoryRule(
                rule.Key, rule.Title, rule.Category, rule.Advice,
                rule.Variants.Select(v => new RuleVariant(v.Key, v.Label, v.Urgency, v.Sensitivity)).ToList(),
                binder.FactsRead.Select(o => catalog[o].Key).ToList(),
                rule.Lets.Select(l => l.Name).ToList(),
                rule.Line));
        }

        if (errors.Count > 0)
        {
            return new FrameworkLoadResult(null, errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        var body = ruleBodies.Count == 0 ? (Expression)Expression.Empty() : Expression.Block(ruleBodies);
        var evaluate = Expression.Lambda<Action<double[], double[], int[]>>(body, binder.Sheet, binder.Day, outcomes).Compile();
        return new FrameworkLoadResult(
            new AdvisoryFramework(catalog, text, rules, evaluate, [.. explainers], [.. letTypes], [.. reads], datePoints), []);
    }

    /// <summary>The day values rules read for a run on <paramref name="today"/>; compute once per run.</summary>
    public DayValues DayOf(LocalDate today) => DayValues.For(today, datePoints);

    /// <summary>Evaluates every rule for one household; <paramref name="outcomes"/> holds one slot per rule and is overwritten.</summary>
    public void Evaluate(double[] sheet, DayValues day, int[] outcomes)
    {
        if (sheet.Length != Catalog.Count || outcomes.Length != Rules.Count)
        {
            throw new ArgumentException($"A sheet has {Catalog.Count} facts and outcomes {Rules.Count} slots.");
        }

        evaluate(sheet, day.Values, outcomes);
    }

    /// <summary>The values behind one rule's outcome for a household: the facts it read and its named values.</summary>
    public RuleExplanation Explain(int rule, double[] sheet, DayValues day)
    {
        var outcomes = new int[Rules.Count];
        Evaluate(sheet, day, outcomes);
        var definition = Rules[rule];
        var lets = new double[definition.NamedValues.Count];
        explainLets[rule](sheet, day.Values, lets);
        var values = new List<ExplainedValue>();
        foreach (var ordinal in factsRead[rule])
        {
            var fact = Catalog[ordinal];
            values.Add(new ExplainedValue(fact.Key, fact.Label, Format(sheet[ordinal], KindType(fact.Kind), fact), !double.IsNaN(sheet[ordinal])));
        }

        for (var i = 0; i < lets.Length; i++)
        {
            values.Add(new ExplainedValue(definition.NamedValues[i], definition.NamedValues[i], Format(lets[i], letTypes[rule][i], null), !double.IsNaN(lets[i])));
        }

        var outcome = outcomes[rule];
        string? why = null;
        if (outcome == CouldNotEvaluate)
        {
            var missing = factsRead[rule].Where(o => double.IsNaN(sheet[o])).Select(o => Catalog[o].Key).ToList();
            why = missing.Count > 0
                ? $"not known: {string.Join(", ", missing)}"
                : "a calculation divided by zero or went out of range";
        }

        return new RuleExplanation(definition.Key, outcome, outcome > 0 ? definition.Variants[outcome - 1].Key : null, values, why);
    }

    /// <summary>A value as people read it: money with a dollar sign, dates as dates, conditions as yes or no.</summary>
    public static string Format(double value, RuleType type, FactDefinition? choice) => double.IsNaN(value)
        ? "not known"
        : type switch
        {
            RuleType.Money => (value < 0 ? "-$" : "$") + Math.Abs(value).ToString(Math.Abs(value % 1) < 0.005 ? "#,0" : "#,0.00", CultureInfo.InvariantCulture),
            RuleType.Percent => value.ToString("0.##", CultureInfo.InvariantCulture) + "%",
            RuleType.Date => FactSheet.ToDate(value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RuleType.Condition => value == 1 ? "yes" : "no",
            RuleType.Choice when choice?.Options is { } options && value >= 0 && value < options.Count => options[(int)value],
            _ => value.ToString("0.##", CultureInfo.InvariantCulture),
        };

    internal static RuleType KindType(FactKind kind) => kind switch
    {
        FactKind.Money => RuleType.Money,
        FactKind.Percent => RuleType.Percent,
        FactKind.Date => RuleType.Date,
        FactKind.Flag => RuleType.Condition,
        FactKind.Choice => RuleType.Choice,
        _ => RuleType.Number,
    };

    private static (Expression Body, Action<double[], double[], double[]> Explain, RuleType[] LetTypes)? CompileRule(
        RuleSyntax rule, int index, RuleBinder binder, ParameterExpression outcomes, ParameterExpression values, string file, List<RuleDiagnostic> errors)
    {
        binder.StartRule();
        var assignments = new List<Expression>();
        var variables = new List<ParameterExpression>();
        var types = new List<RuleType>();
        var letValues = new Dictionary<ParameterExpression, Expression>();
        foreach (var let in rule.Lets)
        {
            var value = binder.Bind(let.Value);
            if (binder.DeclareLet(let, value) is { } variable)
            {
                variables.Add(variable);
                types.Add(value.Type);
                assignments.Add(Expression.Assign(variable, value.Code));
                letValues[variable] = LetInliner.Inline(value.Code, letValues);
            }
        }

        var when = binder.Condition(rule.When, "'when'");
        var last = rule.Variants.Count - 1;
        var variantKeys = new HashSet<string>(StringComparer.Ordinal);
        var variantConditions = new Expression?[rule.Variants.Count];
        for (var i = last; i >= 0; i--)
        {
            var variant = rule.Variants[i];
            if (!variantKeys.Add(variant.Key))
            {
                errors.Add(new RuleDiagnostic(file, variant.Line, variant.Column, $"rule '{rule.Key}' already has a variant '{variant.Key}'"));
            }

            if (variant.Condition is null)
            {
                if (i != last)
                {
                    errors.Add(new RuleDiagnostic(file, variant.Line, variant.Column, "only the last variant may leave out 'if'; the ones after it could never be chosen"));
                }

                continue;
            }

            if (i == last)
            {
                errors.Add(new RuleDiagnostic(file, variant.Line, variant.Column, "the last variant must not have 'if': it is the one chosen when no other applies"));
            }

            variantConditions[i] = binder.Condition(variant.Condition, "a variant's 'if'");
        }

        if (when is null)
        {
            return null;
        }

        // The rule runs as branches: each condition jumps on as soon as it is settled, and named values are
        // computed where a condition reads them, so a household the first condition rules out costs one test.
        var slot = Expression.ArrayAccess(outcomes, Expression.Constant(index));
        var branches = new ConditionBranches();
        var raised = Expression.Label("raised");
        var notRaised = Expression.Label("notRaised");
        var couldNotEvaluate = Expression.Label("couldNotEvaluate");
        var done = Expression.Label("done");
        branches.Emit(LetInliner.Inline(when, letValues), raised, notRaised, couldNotEvaluate);
        branches.Code.Add(Expression.Label(raised));
        for (var i = 0; i <= last; i++)
        {
            if (rule.Variants[i].Condition is null)
            {
                branches.Code.Add(Expression.Assign(slot, Expression.Constant(i + 1)));
                branches.Code.Add(Expression.Goto(done));
                break;
            }

            if (variantConditions[i] is { } condition)
            {
                var chosen = Expression.Label($"variant{i + 1}");
                var next = Expression.Label();
                branches.Emit(LetInliner.Inline(condition, letValues), chosen, next, couldNotEvaluate);
                branches.Code.Add(Expression.Label(chosen));
                branches.Code.Add(Expression.Assign(slot, Expression.Constant(i + 1)));
                branches.Code.Add(Expression.Goto(done));
                branches.Code.Add(Expression.Label(next));
            }
        }

        branches.Code.Add(Expression.Goto(couldNotEvaluate));
        branches.Code.Add(Expression.Label(notRaised));
        branches.Code.Add(Expression.Assign(slot, Expression.Constant(NotRaised)));
        branches.Code.Add(Expression.Goto(done));
        branches.Code.Add(Expression.Label(couldNotEvaluate));
        branches.Code.Add(Expression.Assign(slot, Expression.Constant(CouldNotEvaluate)));
        branches.Code.Add(Expression.Label(done));
        var body = Expression.Block(branches.Temporaries, branches.Code);

        var explainBody = new List<Expression>(assignments);
        for (var i = 0; i < variables.Count; i++)
        {
            explainBody.Add(Expression.Assign(Expression.ArrayAccess(values, Expression.Constant(i)), variables[i]));
        }

        explainBody.Add(Expression.Empty());
        var explain = Expression.Lambda<Action<double[], double[], double[]>>(Expression.Block(variables, explainBody), binder.Sheet, binder.Day, values).Compile();
        return (body, explain, [.. types]);
    }
}
