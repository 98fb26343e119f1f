namespace Ensemble.Advisory;

internal enum TokenKind
{
    Word,
    Number,
    Text,
    Symbol,
    NewLine,
    End,
}

/// <summary>A lexed token: for numbers, <see cref="Value"/> holds the amount with its suffix applied (k, m, %).</summary>
internal readonly record struct RuleToken(TokenKind Kind, string Text, int Line, int Column, double Value = 0, char Unit = ' ')
{
    public bool Is(string text) => (Kind is TokenKind.Word or TokenKind.Symbol) && Text == text;

    public override string ToString() => Kind switch
    {
        TokenKind.NewLine => "the end of the line",
        TokenKind.End => "the end of the file",
        TokenKind.Text => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
