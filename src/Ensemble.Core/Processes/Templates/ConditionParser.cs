using System.Globalization;
using Ensemble.Households;
using Ensemble.ServiceModel;

namespace Ensemble.Processes.Templates;

/// <summary>
/// Parses and type-checks the step condition language into a tree of closures, so evaluating a
/// condition is plain delegate calls: no reflection, no re-parsing, no failure at run time.
/// </summary>
/// <remarks>
/// Grammar: <c>or := and ("or" and)*</c>, <c>and := unary ("and" unary)*</c>,
/// <c>unary := "not" unary | "(" or ")" | fact op literal | function "(" 'text' ")" [(=|!=) true|false] | true | false</c>.
/// Recursive descent is safe because nesting (parentheses and <c>not</c>) is capped at <see cref="MaxDepth"/>;
/// long and/or chains are loops, flattened into arrays, so they cost no stack either when parsed or evaluated.
/// </remarks>
internal sealed class ConditionParser
{
    internal const int MaxDepth = 64;

    private const string TooDeep = "the condition nests more than 64 levels of parentheses or not; simplify it";

    private static readonly Func<HouseholdFacts, bool> Never = _ => false;

    private static readonly Func<HouseholdFacts, bool> Always = _ => true;

    private static readonly Dictionary<string, Fact> Facts = new Fact[]
    {
        new("net_worth", FactKind.Amount, f => f.NetWorth, "net_worth >= 2m"),
        new("investable_assets", FactKind.Amount, f => f.InvestableAssets, "investable_assets >= 1m"),
        new("household_income", FactKind.Amount, f => f.HouseholdIncome, "household_income >= 400k"),
        new("initial_revenue", FactKind.Amount, f => f.InitialRevenue, "initial_revenue >= 10k"),
        new("recurring_revenue", FactKind.Amount, f => f.RecurringRevenue, "recurring_revenue >= 10k"),
        new("referrals", FactKind.Count, f => f.ReferralsGiven, "referrals >= 3"),
        new("products", FactKind.Count, f => f.Products, "products >= 4"),
        new("primary_age", FactKind.Count, f => f.PrimaryAge, "primary_age >= 60"),
        new("members", FactKind.Count, f => f.Members, "members >= 2"),
        new("dependants", FactKind.Count, f => f.Dependants, "dependants > 0"),
        new("stage", FactKind.Stage, _ => null, "stage = 'client'"),
        new("tier", FactKind.Tier, _ => null, "tier = 'A'"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, Function> Functions = new Function[]
    {
        new("has_account", "an account type", "has_account('ira')", arg =>
        {
            var type = AccountTypes.Normalize(arg);
            return f => f.AccountTypes.Contains(type);
        }),
        new("has_policy", "a policy type", "has_policy('life')", arg =>
        {
            var type = AccountTypes.Normalize(arg);
            return f => f.PolicyTypes.Contains(type);
        }),
        new("has_tag", "a tag", "has_tag('vip')", arg =>
        {
            // Household tags are stored lower-case (HouseholdFacts.From).
            var tag = arg.Trim().ToLowerInvariant();
            return f => f.Tags.Contains(tag);
        }),
        new("recent_life_event", "a life event kind", "recent_life_event('loss')", arg =>
        {
            LifeEventKinds.TryParse(arg, out var kind);
            return f => f.RecentLifeEvents.Contains(kind);
        },
        arg => LifeEventKinds.TryParse(arg, out _)
            ? null
            : $"\"{arg}\" is not a life event; use one of {string.Join(", ", LifeEventKinds.All.Select(k => $"'{k}'"))}{Spelling.Hint(arg.Trim().ToLowerInvariant(), LifeEventKinds.All)}"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, LifecycleStage> Stages = new(StringComparer.Ordinal)
    {
        ["prospect"] = LifecycleStage.Prospect,
        ["client"] = LifecycleStage.Client,
        ["former-client"] = LifecycleStage.FormerClient,
    };

    private static readonly Dictionary<string, ServiceTier> Tiers = Enum.GetValues<ServiceTier>()
        .ToDictionary(t => t.ToString(), t => t, StringComparer.OrdinalIgnoreCase);

    private readonly string _text;
    private readonly List<ConditionError> _errors;
    private readonly ISet<string>? _reads;
    private readonly List<Token> _tokens = [];
    private int _next;

    private ConditionParser(string text, List<ConditionError> errors, ISet<string>? reads)
    {
        _text = text;
        _errors = errors;
        _reads = reads;
    }

    private enum TokenKind
    {
        Name,
        Number,
        Text,
        Operator,
        Open,
        Close,
        End,
    }

    private enum FactKind
    {
        Amount,
        Count,
        Stage,
        Tier,
    }

    /// <summary>Fact names the language knows, for documentation and hints.</summary>
    internal static IEnumerable<string> FactNames => Facts.Keys;

    /// <summary>Function names the language knows.</summary>
    internal static IEnumerable<string> FunctionNames => Functions.Keys;

    private Token Peek => _tokens[_next];

    /// <summary>
    /// The predicate, or null when <paramref name="errors"/> received at least one error. <paramref name="reads"/>
    /// receives the names of the facts and functions the condition uses, so storage loads only what is read.
    /// </summary>
    public static Func<HouseholdFacts, bool>? Parse(string text, List<ConditionError> errors, ISet<string>? reads = null)
    {
        var before = errors.Count;
        var parser = new ConditionParser(text, errors, reads);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new ConditionError(0, "the condition is empty; write one such as investable_assets >= 1m, or remove when"));
            return null;
        }

        if (!parser.Tokenize())
        {
            return null;
        }

        var predicate = parser.ParseOr(0);
        if (predicate is not null && parser.Peek.Kind != TokenKind.End)
        {
            var stray = parser.Peek;
            parser.Error(stray.Offset, stray.Kind == TokenKind.Close
                ? "this \")\" has no matching \"(\""
                : $"unexpected \"{stray.Text}\"; join conditions with and / or");
            return null;
        }

        return errors.Count > before ? null : predicate;
    }

    private bool Tokenize()
    {
        var text = _text;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                _tokens.Add(new Token(TokenKind.End, text.Length, "end of the condition"));
                return true;
            }

            var start = i;
            var c = text[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                // Hyphens are allowed so an unquoted former-client reads as one word and gets a helpful message.
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }

                _tokens.Add(new Token(TokenKind.Name, start, text[start..i]));
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                if (!ReadNumber(ref i))
                {
                    return false;
                }
            }
            else if (c is '\'' or '"')
            {
                var close = text.IndexOf(c, i + 1);
                if (close < 0)
                {
                    Error(start, "this quoted text has no closing quote");
                    return false;
                }

                _tokens.Add(new Token(TokenKind.Text, start, text[(start + 1)..close]));
                i = close + 1;
            }
            else if (c is '(' or ')')
            {
                _tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, start, c.ToString()));
                i++;
            }
            else
            {
                var op = ReadOperator(text, i);
                if (op is null)
                {
                    Error(start, UnexpectedCharacter(text, i));
                    return false;
                }

                _tokens.Add(new Token(TokenKind.Operator, start, op));
                i += op.Length;
            }
        }
    }

    private bool ReadNumber(ref int i)
    {
        var text = _text;
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }

        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        var digits = text[start..i];
        decimal multiplier = 1;
        if (i < text.Length && text[i] is 'k' or 'K' or 'm' or 'M')
        {
            multiplier = text[i] is 'k' or 'K' ? 1_000m : 1_000_000m;
            i++;
        }

        if (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
        {
            Error(start, $"\"{Word(text, start)}\" is not a number; write digits with an optional decimal point and k or m, e.g. 250000, 1.5m or 400k");
            return false;
        }

        if (i + 1 < text.Length && text[i] == ',' && char.IsAsciiDigit(text[i + 1]))
        {
            Error(start, "write numbers without commas, e.g. 1000000 or 1m");
            return false;
        }

        if (!decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || Math.Abs(value) > decimal.MaxValue / multiplier)
        {
            Error(start, $"\"{text[start..i]}\" is not a number this condition can use");
            return false;
        }

        _tokens.Add(new Token(TokenKind.Number, start, text[start..i], value * multiplier));
        return true;
    }

    private static string? ReadOperator(string text, int i)
    {
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        return text[i] switch
        {
            '=' => next == '=' ? "==" : "=",
            '!' when next == '=' => "!=",
            '<' when next == '=' => "<=",
            '<' when next != '>' => "<",
            '>' => next == '=' ? ">=" : ">",
            _ => null,
        };
    }

    private static string UnexpectedCharacter(string text, int i) => text[i] switch
    {
        '&' => "write and instead of &&",
        '|' => "write or instead of ||",
        '!' => "write not instead of !",
        '<' => "write != for \"not equal\"",
        '$' => "write amounts without a currency sign, e.g. 1000000 or 1m",
        ',' => "write numbers without commas, e.g. 1000000 or 1m",
        _ => $"unexpected character \"{text[i]}\"",
    };

    private static string Word(string text, int start)
    {
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('(' or ')'))
        {
            end++;
        }

        return text[start..end];
    }

    private Func<HouseholdFacts, bool>? ParseOr(int depth)
    {
        var first = ParseAnd(depth);
        if (first is null)
        {
            return null;
        }

        List<Func<HouseholdFacts, bool>>? terms = null;
        while (IsKeyword(Peek, "or"))
        {
            _next++;
            var term = ParseAnd(depth);
            if (term is null)
            {
                return null;
            }

            (terms ??= [first]).Add(term);
        }

        if (terms is null)
        {
            return first;
        }

        var array = terms.ToArray();
        return f =>
        {
            foreach (var term in array)
            {
                if (term(f))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private Func<HouseholdFacts, bool>? ParseAnd(int depth)
    {
        var first = ParseUnary(depth);
        if (first is null)
        {
            return null;
        }

        List<Func<HouseholdFacts, bool>>? terms = null;
        while (IsKeyword(Peek, "and"))
        {
            _next++;
            var term = ParseUnary(depth);
            if (term is null)
            {
                return null;
            }

            (terms ??= [first]).Add(term);
        }

        if (terms is null)
        {
            return first;
        }

        var array = terms.ToArray();
        return f =>
        {
            foreach (var term in array)
            {
                if (!term(f))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private Func<HouseholdFacts, bool>? ParseUnary(int depth)
    {
        if (!IsKeyword(Peek, "not"))
        {
            return ParsePrimary(depth);
        }

        var not = _tokens[_next++];
        if (depth + 1 > MaxDepth)
        {
            return Fail(not.Offset, TooDeep);
        }

        var inner = ParseUnary(depth + 1);
        return inner is null ? null : f => !inner(f);
    }

    private Func<HouseholdFacts, bool>? ParsePrimary(int depth)
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Open:
                _next++;
                if (depth + 1 > MaxDepth)
                {
                    return Fail(token.Offset, TooDeep);
                }

                var inner = ParseOr(depth + 1);
                if (inner is null)
                {
                    return null;
                }

                if (Peek.Kind != TokenKind.Close)
                {
                    return Peek.Kind == TokenKind.End
                        ? Fail(token.Offset, "this \"(\" is never closed")
                        : Fail(Peek.Offset, $"expected and, or or \")\" before \"{Peek.Text}\"");
                }

                _next++;
                return inner;
            case TokenKind.Name when IsKeyword(token, "true") || IsKeyword(token, "false"):
                _next++;
                return IsKeyword(token, "true") ? Always : Never;
            case TokenKind.Name when IsKeyword(token, "and") || IsKeyword(token, "or"):
                return Fail(token.Offset, $"expected a condition before \"{token.Text}\"");
            case TokenKind.Name:
                return ParseNamed();
            case TokenKind.End:
                return Fail(token.Offset, "the condition ends too early; expected a fact such as investable_assets or a function such as has_account('ira')");
            default:
                return Fail(token.Offset, $"expected a fact such as investable_assets or a function such as has_account('ira'), not \"{token.Text}\"");
        }
    }

    private Func<HouseholdFacts, bool>? ParseNamed()
    {
        var name = _tokens[_next++];
        if (Peek.Kind == TokenKind.Open)
        {
            return ParseCall(name);
        }

        if (Functions.TryGetValue(name.Text, out var function))
        {
            return Fail(name.Offset, $"{name.Text} needs {function.Argument} in parentheses, e.g. {function.Example}");
        }

        var known = Facts.TryGetValue(name.Text, out var fact);
        if (!known)
        {
            Error(name.Offset, $"\"{name.Text}\" is not a fact conditions can use{Spelling.Hint(name.Text, Facts.Keys)} (facts: {string.Join(", ", Facts.Keys)})");
        }
        else
        {
            _reads?.Add(name.Text);
        }

        var op = Peek;
        if (op.Kind != TokenKind.Operator)
        {
            return Fail(op.Offset, $"expected a comparison after {name.Text}, e.g. {fact?.Example ?? "investable_assets >= 1m"}");
        }

        _next++;
        var literal = Peek;
        if (literal.Kind is not (TokenKind.Number or TokenKind.Text or TokenKind.Name))
        {
            return Fail(literal.Offset, $"expected a value after {op.Text}");
        }

        _next++;
        return fact is null ? Never : Compare(fact, op, literal);
    }

    private Func<HouseholdFacts, bool> Compare(Fact fact, Token op, Token literal)
    {
        if (fact.Kind == FactKind.Stage)
        {
            return CompareStage(op, literal);
        }

        if (fact.Kind == FactKind.Tier)
        {
            return CompareTier(op, literal);
        }

        if (literal.Kind != TokenKind.Number)
        {
            var what = fact.Kind == FactKind.Amount ? "an amount" : "a number";
            Error(literal.Offset, $"{fact.Name} is {what}; compare it with a number, e.g. {fact.Example}");
            return Never;
        }

        var value = fact.Value;
        var n = literal.Number;
        return op.Text switch
        {
            "=" or "==" => f => value(f) is { } v && v == n,
            "!=" => f => value(f) is { } v && v != n,
            "<" => f => value(f) is { } v && v < n,
            "<=" => f => value(f) is { } v && v <= n,
            ">" => f => value(f) is { } v && v > n,
            _ => f => value(f) is { } v && v >= n,
        };
    }

    private Func<HouseholdFacts, bool> CompareStage(Token op, Token literal)
    {
        const string values = "'prospect', 'client' or 'former-client'";
        if (op.Text is not ("=" or "==" or "!="))
        {
            Error(op.Offset, $"stage can only be compared with = or !=, e.g. stage = 'client'");
            return Never;
        }

        if (literal.Kind == TokenKind.Name && Stages.ContainsKey(literal.Text.ToLowerInvariant()))
        {
            Error(literal.Offset, $"put the stage in quotes: stage {op.Text} '{literal.Text.ToLowerInvariant()}'");
            return Never;
        }

        if (literal.Kind != TokenKind.Text)
        {
            Error(literal.Offset, $"stage is compared with {values}");
            return Never;
        }

        if (!Stages.TryGetValue(literal.Text.Trim().ToLowerInvariant(), out var stage))
        {
            Error(literal.Offset, $"\"{literal.Text}\" is not a stage; use {values}{Spelling.Hint(literal.Text, Stages.Keys)}");
            return Never;
        }

        return op.Text == "!=" ? f => f.Stage != stage : f => f.Stage == stage;
    }

    /// <summary>
    /// <c>tier = 'A'</c>. An unknown tier (none stored) makes every comparison false, as for any unknown fact,
    /// so <c>tier != 'A'</c> does not hold for it but <c>not (tier = 'A')</c> does.
    /// </summary>
    private Func<HouseholdFacts, bool> CompareTier(Token op, Token literal)
    {
        const string values = "'A', 'B', 'C' or 'Unsegmented'";
        if (op.Text is not ("=" or "==" or "!="))
        {
            Error(op.Offset, "tier can only be compared with = or !=, e.g. tier = 'A'");
            return Never;
        }

        if (literal.Kind == TokenKind.Name && Tiers.TryGetValue(literal.Text, out var bare))
        {
            Error(literal.Offset, $"put the tier in quotes: tier {op.Text} '{bare}'");
            return Never;
        }

        if (literal.Kind != TokenKind.Text)
        {
            Error(literal.Offset, $"tier is compared with {values}");
            return Never;
        }

        if (!Tiers.TryGetValue(literal.Text.Trim(), out var tier))
        {
            Error(literal.Offset, $"\"{literal.Text}\" is not a tier; use {values}{Spelling.Hint(literal.Text, Tiers.Keys)}");
            return Never;
        }

        return op.Text == "!=" ? f => f.Tier is { } t && t != tier : f => f.Tier == tier;
    }

    private Func<HouseholdFacts, bool>? ParseCall(Token name)
    {
        _next++;
        var argument = Peek;
        Functions.TryGetValue(name.Text, out var function);
        var example = function?.Example ?? "has_account('ira')";
        if (argument.Kind != TokenKind.Text)
        {
            return Fail(argument.Offset, $"{name.Text} takes one value in quotes, e.g. {example}");
        }

        _next++;
        if (Peek.Kind != TokenKind.Close)
        {
            return Fail(Peek.Offset, $"expected \")\" after '{argument.Text}'; {name.Text} takes one value, e.g. {example}");
        }

        _next++;
        var predicate = Never;
        if (function is null)
        {
            var hint = Spelling.Hint(name.Text, Functions.Keys);
            var message = Facts.TryGetValue(name.Text, out var fact)
                ? $"{name.Text} is a fact, not a function; compare it, e.g. {fact.Example}"
                : $"\"{name.Text}\" is not a function conditions can use{hint} (functions: {string.Join(", ", Functions.Keys)})";
            Error(name.Offset, message);
        }
        else if (string.IsNullOrWhiteSpace(argument.Text))
        {
            Error(argument.Offset, $"{name.Text} needs {function.Argument}, e.g. {example}");
        }
        else if (function.Check?.Invoke(argument.Text) is { } wrong)
        {
            Error(argument.Offset, wrong);
        }
        else
        {
            _reads?.Add(name.Text);
            predicate = function.Build(argument.Text);
        }

        if (Peek.Kind != TokenKind.Operator)
        {
            return predicate;
        }

        // has_account('ira') = false reads naturally to some; allow comparing a function with true/false.
        var op = _tokens[_next++];
        var literal = Peek;
        if (literal.Kind is not (TokenKind.Number or TokenKind.Text or TokenKind.Name))
        {
            return Fail(literal.Offset, $"expected true or false after {op.Text}");
        }

        _next++;
        if (op.Text is not ("=" or "==" or "!="))
        {
            Error(op.Offset, $"{name.Text}(...) is true or false; compare it with = or !=, or use it on its own");
            return Never;
        }

        if (!(IsKeyword(literal, "true") || IsKeyword(literal, "false")))
        {
            Error(literal.Offset, $"{name.Text}(...) is true or false; compare it with true or false, not \"{literal.Text}\"");
            return Never;
        }

        var wanted = IsKeyword(literal, "true") == (op.Text != "!=");
        return wanted ? predicate : f => !predicate(f);
    }

    private static bool IsKeyword(Token token, string keyword) =>
        token.Kind == TokenKind.Name && string.Equals(token.Text, keyword, StringComparison.OrdinalIgnoreCase);

    private void Error(int offset, string message) => _errors.Add(new ConditionError(offset, message));

    /// <summary>Records a syntax error; parsing stops because later tokens would only produce noise.</summary>
    private Func<HouseholdFacts, bool>? Fail(int offset, string message)
    {
        Error(offset, message);
        return null;
    }

    private readonly record struct Token(TokenKind Kind, int Offset, string Text, decimal Number = 0);

    private sealed record Fact(string Name, FactKind Kind, Func<HouseholdFacts, decimal?> Value, string Example);

    /// <summary>A function of the language; <c>Check</c> refuses an argument it cannot use, with the message to show (null accepts any).</summary>
    private sealed record Function(string Name, string Argument, string Example, Func<string, Func<HouseholdFacts, bool>> Build, Func<string, string?>? Check = null);
}
