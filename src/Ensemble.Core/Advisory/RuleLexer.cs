using System.Globalization;

namespace Ensemble.Advisory;

/// <summary>
/// Splits a framework file into tokens with their line and column. Lines matter (each clause of a rule is
/// one line), so newlines are tokens; <c>#</c> starts a comment. Amounts may carry <c>$</c>, thousands
/// separators and a k/m suffix (<c>$250k</c>, <c>1.5m</c>); <c>35%</c> is a percentage.
/// </summary>
internal static class RuleLexer
{
    private const string Symbols = "()+-*/,=<>!";

    public static List<RuleToken> Lex(string text, string file, List<RuleDiagnostic> errors)
    {
        var tokens = new List<RuleToken>();
        int line = 1, lineStart = 0, i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i - lineStart + 1;
            if (c == '\n')
            {
                tokens.Add(new RuleToken(TokenKind.NewLine, "\n", line, column));
                line++;
                lineStart = ++i;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                var newline = text.IndexOf('\n', i + 1);
                if (end < 0 || (newline >= 0 && newline < end))
                {
                    errors.Add(new RuleDiagnostic(file, line, column, "this text is not closed: add a \" before the end of the line"));
                    i = newline < 0 ? text.Length : newline;
                }
                else
                {
                    tokens.Add(new RuleToken(TokenKind.Text, text[(i + 1)..end], line, column));
                    i = end + 1;
                }
            }
            else if (char.IsDigit(c) || (c == '$' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                i = LexNumber(text, i, file, line, column, tokens, errors);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-'))
                {
                    i++;
                }

                // A word never ends in '.' or '-' (so "x - 1" and a sentence's full stop stay out of names).
                while (text[i - 1] is '.' or '-')
                {
                    i--;
                }

                tokens.Add(new RuleToken(TokenKind.Word, text[start..i], line, column));
            }
            else if (Symbols.Contains(c, StringComparison.Ordinal))
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                var symbol = two is "<=" or ">=" or "!=" ? two : c.ToString();
                tokens.Add(new RuleToken(TokenKind.Symbol, symbol, line, column));
                i += symbol.Length;
            }
            else
            {
                errors.Add(new RuleDiagnostic(file, line, column, $"'{c}' has no meaning here"));
                i++;
            }
        }

        tokens.Add(new RuleToken(TokenKind.NewLine, "\n", line, i - lineStart + 1));
        tokens.Add(new RuleToken(TokenKind.End, "", line, i - lineStart + 1));
        return tokens;
    }

    private static int LexNumber(string text, int i, string file, int line, int column, List<RuleToken> tokens, List<RuleDiagnostic> errors)
    {
        var start = i;
        var money = text[i] == '$';
        if (money)
        {
            i++;
        }

        var digitsStart = i;
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.' || (text[i] == ',' && i + 1 < text.Length && char.IsDigit(text[i + 1]))))
        {
            i++;
        }

        var digits = text[digitsStart..i].Replace(",", "", StringComparison.Ordinal);
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new RuleDiagnostic(file, line, column, $"'{text[start..i]}' is not a number"));
            return i;
        }

        var unit = money ? '$' : ' ';
        if (i < text.Length && text[i] is 'k' or 'm' && (i + 1 == text.Length || !char.IsLetterOrDigit(text[i + 1])))
        {
            value *= text[i] == 'k' ? 1_000 : 1_000_000;
            unit = '$';
            i++;
        }
        else if (i < text.Length && text[i] == '%')
        {
            unit = '%';
            i++;
        }

        tokens.Add(new RuleToken(TokenKind.Number, text[start..i], line, column, value, unit));
        return i;
    }
}
