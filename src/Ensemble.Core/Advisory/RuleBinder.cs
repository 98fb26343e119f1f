using System.Linq.Expressions;
using System.Reflection;
using Ensemble.Consolidation;
using Ensemble.Processes.Templates;

namespace Ensemble.Advisory;

/// <summary>
/// Type-checks a rule's expressions and turns them into expression trees over the household's fact sheet
/// (<c>f</c>) and the run's day values (<c>d</c>). Only the facts of the catalog, the rule's own named values
/// and a fixed set of functions can be named; anything else is an error at its line and column.
/// </summary>
internal sealed class RuleBinder(FactCatalog catalog, string file, List<RuleDiagnostic> errors, List<DatePoint> datePoints)
{
    public static readonly string[] FunctionNames =
        ["known", "known_or", "days_until", "days_since", "min", "max", "abs", "days_ago", "months_ago", "years_ago", "in_days", "in_months", "in_years", "year_end"];

    private static readonly string[] Keywords = ["today", "month", "yes", "no", "true", "false"];

    private readonly Dictionary<string, (ParameterExpression Variable, Typed Value)> lets = new(StringComparer.Ordinal);

    public ParameterExpression Sheet { get; } = Expression.Parameter(typeof(double[]), "f");

    public ParameterExpression Day { get; } = Expression.Parameter(typeof(double[]), "d");

    /// <summary>Catalog ordinals of the facts the current rule reads, for its explanation.</summary>
    public SortedSet<int> FactsRead { get; } = [];

    public void StartRule()
    {
        lets.Clear();
        FactsRead.Clear();
    }

    public IEnumerable<(string Name, ParameterExpression Variable, RuleType Type)> Lets =>
        lets.Select(l => (l.Key, l.Value.Variable, l.Value.Value.Type));

    public ParameterExpression? DeclareLet(LetSyntax let, Typed value)
    {
        if (lets.ContainsKey(let.Name) || catalog.TryGet(let.Name, out _) || Keywords.Contains(let.Name) || FunctionNames.Contains(let.Name))
        {
            Error(let.Line, let.Column, $"'{let.Name}' is already a fact, a function or a named value; choose another name");
            return null;
        }

        if (value.IsInvalid)
        {
            return null;
        }

        if (value.Type == RuleType.Text)
        {
            Error(let.Line, let.Column, "a named value cannot be text");
            return null;
        }

        var variable = Expression.Variable(typeof(double), let.Name);
        lets[let.Name] = (variable, value with { Code = variable, BareNumber = false });
        return variable;
    }

    /// <summary>Binds an expression that must be a condition (a when or a variant's if).</summary>
    public Expression? Condition(Syntax syntax, string where)
    {
        var typed = Bind(syntax);
        if (typed.IsInvalid)
        {
            return null;
        }

        if (typed.Type != RuleType.Condition)
        {
            Error(syntax, $"{where} must be a condition (true or false), but this is {Describe(typed)}");
            return null;
        }

        return typed.Code;
    }

    public Typed Bind(Syntax syntax) => syntax switch
    {
        NumberSyntax n => new Typed(Expression.Constant(n.Value), n.Unit switch { '$' => RuleType.Money, '%' => RuleType.Percent, _ => RuleType.Number }, n.Unit == ' '),
        TextSyntax => new Typed(Expression.Constant(double.NaN), RuleType.Text),
        NameSyntax n => Name(n),
        CallSyntax c => Call(c),
        UnarySyntax u => Unary(u),
        BinarySyntax b => Binary(b),
        _ => throw new InvalidOperationException(syntax.GetType().Name),
    };

    private Typed Name(NameSyntax name)
    {
        if (lets.TryGetValue(name.Name, out var let))
        {
            return let.Value;
        }

        switch (name.Name)
        {
            case "today":
                return new Typed(DaySlot(DayValues.TodaySlot), RuleType.Date);
            case "month":
                return new Typed(DaySlot(DayValues.MonthSlot), RuleType.Number);
            case "yes" or "true":
                return new Typed(Expression.Constant(1.0), RuleType.Condition);
            case "no" or "false":
                return new Typed(Expression.Constant(0.0), RuleType.Condition);
        }

        if (!catalog.TryGet(name.Name, out var fact))
        {
            var hint = Spelling.Hint(name.Name, catalog.Facts.Select(f => f.Key).Concat(lets.Keys).Concat(Keywords));
            Error(name, $"'{name.Name}' is not a fact, a named value or a keyword{hint}");
            return Typed.Invalid;
        }

        FactsRead.Add(fact.Ordinal);
        var code = Expression.ArrayIndex(Sheet, Expression.Constant(fact.Ordinal));
        return fact.Kind switch
        {
            FactKind.Money => new Typed(code, RuleType.Money),
            FactKind.Number => new Typed(code, RuleType.Number),
            FactKind.Percent => new Typed(code, RuleType.Percent),
            FactKind.Date => new Typed(code, RuleType.Date),
            FactKind.Flag => new Typed(code, RuleType.Condition),
            FactKind.Choice => new Typed(code, RuleType.Choice, Choice: fact),
            _ => throw new InvalidOperationException(fact.Kind.ToString()),
        };
    }

    private Typed Call(CallSyntax call)
    {
        if (DatePoint.IsDateFunction(call.Function))
        {
            return DateFunction(call);
        }

        var args = call.Arguments.Select(Bind).ToList();
        if (args.Any(a => a.IsInvalid))
        {
            return Typed.Invalid;
        }

        switch (call.Function)
        {
            case "known" when Arity(call, 1):
                return new Typed(Math(nameof(RuleMath.Known), args[0].Code), RuleType.Condition);
            case "known_or" when Arity(call, 2):
                var fallback = Unify(call, args[0], args[1], "known_or's two values");
                return fallback is { } type ? new Typed(Math(nameof(RuleMath.KnownOr), args[0].Code, args[1].Code), type, Choice: args[0].Choice) : Typed.Invalid;
            case "days_until" or "days_since" when Arity(call, 1):
                if (args[0].Type != RuleType.Date)
                {
                    Error(call.Arguments[0], $"{call.Function} takes a date, but this is {Describe(args[0])}");
                    return Typed.Invalid;
                }

                var today = DaySlot(DayValues.TodaySlot);
                return new Typed(call.Function == "days_until" ? Expression.Subtract(args[0].Code, today) : Expression.Subtract(today, args[0].Code), RuleType.Number);
            case "min" or "max" when Arity(call, 2):
                var both = Unify(call, args[0], args[1], $"{call.Function}'s two values");
                return both is { } t && IsAmountOrDate(t)
                    ? new Typed(Math(call.Function == "min" ? nameof(RuleMath.Min) : nameof(RuleMath.Max), args[0].Code, args[1].Code), t)
                    : Mismatch(call, $"{call.Function} compares two amounts or two dates");
            case "abs" when Arity(call, 1):
                return args[0].IsAmount
                    ? new Typed(Expression.Call(typeof(Math).GetMethod(nameof(System.Math.Abs), [typeof(double)])!, args[0].Code), args[0].Type)
                    : Mismatch(call, "abs takes an amount");
            case "known" or "known_or" or "days_until" or "days_since" or "min" or "max" or "abs":
                return Typed.Invalid;
            default:
                Error(call, $"'{call.Function}' is not a function of the rule language{Spelling.Hint(call.Function, FunctionNames)}");
                return Typed.Invalid;
        }
    }

    private Typed DateFunction(CallSyntax call)
    {
        var amount = 0;
        if (call.Function == "year_end")
        {
            if (!Arity(call, 0))
            {
                return Typed.Invalid;
            }
        }
        else if (Arity(call, 1))
        {
            if (call.Arguments[0] is not NumberSyntax { Unit: ' ' } n || n.Value != System.Math.Floor(n.Value) || n.Value is < 0 or > 200)
            {
                Error(call.Arguments[0], $"{call.Function} takes a whole number from 0 to 200, e.g. {call.Function}(3)");
                return Typed.Invalid;
            }

            amount = (int)n.Value;
        }
        else
        {
            return Typed.Invalid;
        }

        var point = new DatePoint(call.Function, amount);
        var index = datePoints.IndexOf(point);
        if (index < 0)
        {
            datePoints.Add(point);
            index = datePoints.Count - 1;
        }

        return new Typed(DaySlot(DayValues.FirstPoint + index), RuleType.Date);
    }

    private Typed Unary(UnarySyntax unary)
    {
        var operand = Bind(unary.Operand);
        if (operand.IsInvalid)
        {
            return operand;
        }

        if (unary.Operator == "not")
        {
            return operand.Type == RuleType.Condition
                ? new Typed(Math(nameof(RuleMath.Not), operand.Code), RuleType.Condition)
                : Mismatch(unary, $"'not' takes a condition, but this is {Describe(operand)}");
        }

        return operand.IsAmount
            ? operand with { Code = Expression.Negate(operand.Code) }
            : Mismatch(unary, $"'-' takes an amount, but this is {Describe(operand)}");
    }

    private Typed Binary(BinarySyntax binary)
    {
        var left = Bind(binary.Left);
        var right = Bind(binary.Right);
        if (left.IsInvalid || right.IsInvalid)
        {
            return Typed.Invalid;
        }

        switch (binary.Operator)
        {
            case "and" or "or":
                if (left.Type != RuleType.Condition || right.Type != RuleType.Condition)
                {
                    return Mismatch(binary, $"'{binary.Operator}' joins two conditions, but found {Describe(left)} and {Describe(right)}");
                }

                return new Typed(Math(binary.Operator == "and" ? nameof(RuleMath.And) : nameof(RuleMath.Or), left.Code, right.Code), RuleType.Condition);
            case "=" or "!=" or "<" or "<=" or ">" or ">=":
                return Compare(binary, left, right);
            default:
                return Arithmetic(binary, left, right);
        }
    }

    private Typed Compare(BinarySyntax binary, Typed left, Typed right)
    {
        var op = binary.Operator;
        if (left.Type == RuleType.Choice || right.Type == RuleType.Choice)
        {
            return CompareChoice(binary, left, right);
        }

        var type = Unify(binary, left, right, $"the two sides of '{op}'");
        if (type is not { } t)
        {
            return Typed.Invalid;
        }

        if (t == RuleType.Condition && op is not ("=" or "!="))
        {
            return Mismatch(binary, $"conditions can only be compared with = or !=");
        }

        Expression code = op switch
        {
            "<" => Math(nameof(RuleMath.Less), left.Code, right.Code),
            "<=" => Math(nameof(RuleMath.LessOrEqual), left.Code, right.Code),
            ">" => Math(nameof(RuleMath.Less), right.Code, left.Code),
            ">=" => Math(nameof(RuleMath.LessOrEqual), right.Code, left.Code),
            _ => Math(t == RuleType.Money ? nameof(RuleMath.MoneyEqual) : nameof(RuleMath.Equal), left.Code, right.Code),
        };
        return new Typed(op == "!=" ? Math(nameof(RuleMath.Not), code) : code, RuleType.Condition);
    }

    private Typed CompareChoice(BinarySyntax binary, Typed left, Typed right)
    {
        var (choice, other, otherSyntax) = left.Type == RuleType.Choice ? (left, right, binary.Right) : (right, left, binary.Left);
        if (binary.Operator is not ("=" or "!="))
        {
            return Mismatch(binary, $"{choice.Choice!.Key} can only be compared with = or !=");
        }

        if (otherSyntax is not TextSyntax text)
        {
            return Mismatch(binary, $"compare {choice.Choice!.Key} with one of its values in quotes: {string.Join(", ", choice.Choice.Options!.Select(o => $"\"{o}\""))}");
        }

        var index = choice.Choice!.Options!.ToList().FindIndex(o => string.Equals(o, text.Value, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            Error(text, $"\"{text.Value}\" is not a value of {choice.Choice.Key}; it is one of {string.Join(", ", choice.Choice.Options!.Select(o => $"\"{o}\""))}");
            return Typed.Invalid;
        }

        _ = other;
        var code = Math(nameof(RuleMath.Equal), choice.Code, Expression.Constant((double)index));
        return new Typed(binary.Operator == "!=" ? Math(nameof(RuleMath.Not), code) : code, RuleType.Condition);
    }

    private Typed Arithmetic(BinarySyntax binary, Typed left, Typed right)
    {
        var op = binary.Operator;
        var result = ArithmeticType(op, left, right);
        if (result is not { } type)
        {
            return Mismatch(binary, op == "-"
                ? $"cannot subtract {Describe(right)} from {Describe(left)}"
                : $"cannot {Verb(op)} {Describe(left)} {Preposition(op)} {Describe(right)}");
        }

        // Percentages are written as 35 for 35%, so multiplying money by one scales by a hundredth.
        var scale = op == "*" && (left.Type == RuleType.Percent) != (right.Type == RuleType.Percent) && type == RuleType.Money;
        Expression code = op switch
        {
            "+" => Expression.Add(left.Code, right.Code),
            "-" => Expression.Subtract(left.Code, right.Code),
            "*" => Expression.Multiply(left.Code, right.Code),
            _ => Expression.Divide(left.Code, right.Code),
        };
        if (scale)
        {
            code = Expression.Multiply(code, Expression.Constant(0.01));
        }

        return new Typed(op is "*" or "/" ? Math(nameof(RuleMath.Finite), code) : code, type, left.BareNumber && right.BareNumber);
    }

    private static RuleType? ArithmeticType(string op, Typed left, Typed right)
    {
        var (l, r) = (left.Type, right.Type);

        // A bare number next to an amount takes the amount's type: "income * 10" is money, "cash - 5000" too.
        if (left.BareNumber && right.IsAmount && op is "+" or "-")
        {
            l = r;
        }

        if (right.BareNumber && left.IsAmount && op is "+" or "-")
        {
            r = l;
        }

        return (op, l, r) switch
        {
            ("+" or "-", RuleType.Money, RuleType.Money) => RuleType.Money,
            ("+" or "-", RuleType.Percent, RuleType.Percent) => RuleType.Percent,
            ("+" or "-", RuleType.Number, RuleType.Number) => RuleType.Number,
            ("-", RuleType.Date, RuleType.Date) => RuleType.Number,
            ("+" or "-", RuleType.Date, RuleType.Number) => RuleType.Date,
            ("*", RuleType.Money, RuleType.Number or RuleType.Percent) => RuleType.Money,
            ("*", RuleType.Number or RuleType.Percent, RuleType.Money) => RuleType.Money,
            ("*", RuleType.Number, RuleType.Number) => RuleType.Number,
            ("*", RuleType.Number, RuleType.Percent) or ("*", RuleType.Percent, RuleType.Number) => RuleType.Percent,
            ("/", RuleType.Money, RuleType.Money) => RuleType.Number,
            ("/", RuleType.Money, RuleType.Number) => RuleType.Money,
            ("/", RuleType.Number, RuleType.Number) => RuleType.Number,
            ("/", RuleType.Percent, RuleType.Percent) => RuleType.Number,
            ("/", RuleType.Percent, RuleType.Number) => RuleType.Percent,
            _ => null,
        };
    }

    /// <summary>The common type of two values compared or combined; a bare number adapts to an amount on the other side.</summary>
    private RuleType? Unify(Syntax at, Typed left, Typed right, string what)
    {
        if (left.Type == right.Type)
        {
            return left.Type;
        }

        if (left.BareNumber && right.IsAmount)
        {
            return right.Type;
        }

        if (right.BareNumber && left.IsAmount)
        {
            return left.Type;
        }

        Error(at, $"{what} must be of one type, but found {Describe(left)} and {Describe(right)}");
        return null;
    }

    private static bool IsAmountOrDate(RuleType type) => type is RuleType.Number or RuleType.Money or RuleType.Percent or RuleType.Date;

    private bool Arity(CallSyntax call, int count)
    {
        if (call.Arguments.Count == count)
        {
            return true;
        }

        Error(call, $"{call.Function} takes {count} value{(count == 1 ? "" : "s")}, found {call.Arguments.Count}");
        return false;
    }

    private Expression DaySlot(int slot) => Expression.ArrayIndex(Day, Expression.Constant(slot));

    private static MethodCallExpression Math(string name, params Expression[] args) =>
        Expression.Call(typeof(RuleMath).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!, args);

    private Typed Mismatch(Syntax at, string message)
    {
        Error(at, message);
        return Typed.Invalid;
    }

    private static string Describe(Typed typed) => typed.Type switch
    {
        RuleType.Condition => "a condition",
        RuleType.Money => "money",
        RuleType.Percent => "a percentage",
        RuleType.Date => "a date",
        RuleType.Choice => $"a choice ({typed.Choice?.Key})",
        RuleType.Text => "text",
        _ => "a number",
    };

    private static string Verb(string op) => op switch { "+" => "add", "*" => "multiply", _ => "divide" };

    private static string Preposition(string op) => op == "+" ? "to" : "by";

    private void Error(Syntax at, string message) => Error(at.Line, at.Column, message);

    private void Error(int line, int column, string message) => errors.Add(new RuleDiagnostic(file, line, column, message));
}
