namespace Ensemble.Advisory;

/// <summary>
/// Reads a framework file into rules as written. One clause per line:
/// <code>
/// rule KEY "Title"
///   category WORD
///   advice "What the advisor should consider"
///   let NAME = EXPR            (any number, in order; later ones may use earlier ones)
///   when EXPR                  (raises the alert)
///   variant KEY "Label" [if EXPR] at urgency N sensitivity N   (first that holds; at least one)
/// end
/// </code>
/// Expressions: <c>or</c>, <c>and</c>, <c>not</c>, comparisons, + - * /, calls, facts, names, amounts.
/// Nesting is capped so a hostile file cannot exhaust the stack.
/// </summary>
internal sealed class RuleParser
{
    private const int MaxDepth = 48;

    private readonly List<RuleToken> tokens;
    private readonly string file;
    private readonly List<RuleDiagnostic> errors;
    private int position;
    private int depth;

    private RuleParser(List<RuleToken> tokens, string file, List<RuleDiagnostic> errors)
    {
        this.tokens = tokens;
        this.file = file;
        this.errors = errors;
    }

    private RuleToken Current => tokens[position];

    public static List<RuleSyntax> Parse(string text, string file, List<RuleDiagnostic> errors)
    {
        var parser = new RuleParser(RuleLexer.Lex(text, file, errors), file, errors);
        return parser.File();
    }

    private List<RuleSyntax> File()
    {
        var rules = new List<RuleSyntax>();
        while (Current.Kind != TokenKind.End)
        {
            if (Current.Kind == TokenKind.NewLine)
            {
                position++;
                continue;
            }

            if (!Current.Is("rule"))
            {
                Error(Current, $"expected 'rule' to start a rule, found {Current}");
                SkipTo("rule");
                continue;
            }

            try
            {
                rules.Add(Rule());
            }
            catch (ParseFailed)
            {
                SkipTo("rule");
            }
        }

        return rules;
    }

    private RuleSyntax Rule()
    {
        var start = Take("rule");
        var key = Word("the rule's key, e.g. mortgage.rate-ending");
        var title = Text("the rule's title in quotes");
        EndOfLine();
        string? category = null, advice = null;
        Syntax? when = null;
        var lets = new List<LetSyntax>();
        var variants = new List<VariantSyntax>();
        while (!Current.Is("end"))
        {
            if (Current.Kind == TokenKind.NewLine)
            {
                position++;
                continue;
            }

            var clause = Current;
            if (clause.Kind == TokenKind.End || clause.Is("rule"))
            {
                throw Fail(clause, $"rule '{key}' has no 'end'");
            }

            position++;
            switch (clause.Text)
            {
                case "category":
                    category = Word("a category, e.g. insurance");
                    break;
                case "advice":
                    advice = Text("the advice in quotes");
                    break;
                case "let":
                    var name = Word("a name for the value");
                    Take("=");
                    lets.Add(new LetSyntax(name, Expression(), clause.Line, clause.Column));
                    break;
                case "when":
                    if (when is not null)
                    {
                        Error(clause, "a rule has one 'when'; join conditions with 'and' or 'or'");
                    }

                    when = Expression();
                    break;
                case "variant":
                    variants.Add(Variant(clause));
                    break;
                default:
                    throw Fail(clause, $"expected category, advice, let, when, variant or end, found {clause}");
            }

            EndOfLine();
        }

        position++;
        if (category is null)
        {
            Error(start, $"rule '{key}' needs a 'category' line");
        }

        if (when is null)
        {
            Error(start, $"rule '{key}' needs a 'when' line: the condition that raises it");
        }

        if (variants.Count == 0)
        {
            Error(start, $"rule '{key}' needs at least one 'variant' line placing it on the canvas");
        }

        return new RuleSyntax(key, title, category ?? "", advice, lets, when ?? new NameSyntax("false", start.Line, start.Column), variants, start.Line, start.Column);
    }

    private VariantSyntax Variant(RuleToken clause)
    {
        var key = Word("the variant's key, e.g. soon");
        var label = Text("the variant's label in quotes");
        Syntax? condition = null;
        if (Current.Is("if"))
        {
            position++;
            condition = Expression();
        }

        Take("at");
        Take("urgency");
        var urgency = Score();
        Take("sensitivity");
        var sensitivity = Score();
        return new VariantSyntax(key, label, condition, urgency, sensitivity, clause.Line, clause.Column);
    }

    private double Score()
    {
        var token = Current;
        if (token.Kind != TokenKind.Number || token.Unit != ' ' || token.Value is < 0 or > 100)
        {
            throw Fail(token, $"expected a score from 0 to 100, found {token}");
        }

        position++;
        return token.Value;
    }

    private Syntax Expression()
    {
        if (++depth > MaxDepth)
        {
            throw Fail(Current, "the expression nests too deeply; split it with 'let'");
        }

        var left = And();
        while (Current.Is("or"))
        {
            var op = Current;
            position++;
            left = new BinarySyntax("or", left, And(), op.Line, op.Column);
        }

        depth--;
        return left;
    }

    private Syntax And()
    {
        var left = Not();
        while (Current.Is("and"))
        {
            var op = Current;
            position++;
            left = new BinarySyntax("and", left, Not(), op.Line, op.Column);
        }

        return left;
    }

    private Syntax Not()
    {
        if (Current.Is("not"))
        {
            var op = Current;
            position++;
            if (++depth > MaxDepth)
            {
                throw Fail(op, "the expression nests too deeply; split it with 'let'");
            }

            var operand = Not();
            depth--;
            return new UnarySyntax("not", operand, op.Line, op.Column);
        }

        return Comparison();
    }

    private Syntax Comparison()
    {
        var left = Sum();
        if (Current.Kind == TokenKind.Symbol && Current.Text is "=" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Current;
            position++;
            return new BinarySyntax(op.Text, left, Sum(), op.Line, op.Column);
        }

        return left;
    }

    private Syntax Sum()
    {
        var left = Product();
        while (Current.Kind == TokenKind.Symbol && Current.Text is "+" or "-")
        {
            var op = Current;
            position++;
            left = new BinarySyntax(op.Text, left, Product(), op.Line, op.Column);
        }

        return left;
    }

    private Syntax Product()
    {
        var left = Unary();
        while (Current.Kind == TokenKind.Symbol && Current.Text is "*" or "/")
        {
            var op = Current;
            position++;
            left = new BinarySyntax(op.Text, left, Unary(), op.Line, op.Column);
        }

        return left;
    }

    private Syntax Unary()
    {
        if (Current.Is("-"))
        {
            var op = Current;
            position++;
            return new UnarySyntax("-", Primary(), op.Line, op.Column);
        }

        return Primary();
    }

    private Syntax Primary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                position++;
                return new NumberSyntax(token.Value, token.Unit, token.Text, token.Line, token.Column);
            case TokenKind.Text:
                position++;
                return new TextSyntax(token.Text, token.Line, token.Column);
            case TokenKind.Word when token.Text is not ("and" or "or" or "not" or "if" or "at"):
                position++;
                if (Current.Is("("))
                {
                    return Call(token);
                }

                return new NameSyntax(token.Text, token.Line, token.Column);
            case TokenKind.Symbol when token.Text == "(":
                position++;
                var inner = Expression();
                Take(")");
                return inner;
            default:
                throw Fail(token, $"expected a value, a fact or '(', found {token}");
        }
    }

    private CallSyntax Call(RuleToken name)
    {
        Take("(");
        var arguments = new List<Syntax>();
        if (!Current.Is(")"))
        {
            arguments.Add(Expression());
            while (Current.Is(","))
            {
                position++;
                arguments.Add(Expression());
            }
        }

        Take(")");
        return new CallSyntax(name.Text, arguments, name.Line, name.Column);
    }

    private RuleToken Take(string text)
    {
        var token = Current;
        if (!token.Is(text))
        {
            throw Fail(token, $"expected '{text}', found {token}");
        }

        position++;
        return token;
    }

    private string Word(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Word)
        {
            throw Fail(token, $"expected {what}, found {token}");
        }

        position++;
        return token.Text;
    }

    private string Text(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Text)
        {
            throw Fail(token, $"expected {what}, found {token}");
        }

        position++;
        return token.Text;
    }

    private void EndOfLine()
    {
        if (Current.Kind != TokenKind.NewLine)
        {
            throw Fail(Current, $"expected the end of the line, found {Current}");
        }
    }

    private void SkipTo(string word)
    {
        while (Current.Kind != TokenKind.End && !(Current.Is(word) && (position == 0 || tokens[position - 1].Kind == TokenKind.NewLine)))
        {
            position++;
        }

        depth = 0;
    }

    private void Error(RuleToken at, string message) => errors.Add(new RuleDiagnostic(file, at.Line, at.Column, message));

    private ParseFailed Fail(RuleToken at, string message)
    {
        Error(at, message);
        return new ParseFailed();
    }

    /// <summary>Unwinds to the next rule after an error was recorded, so one file reports all its rules' problems.</summary>
    private sealed class ParseFailed : Exception;
}
