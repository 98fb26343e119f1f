namespace Ensemble.Advisory;

/// <summary>An expression as written, with where it starts in the file.</summary>
internal abstract record Syntax(int Line, int Column);

internal sealed record NumberSyntax(double Value, char Unit, string Text, int Line, int Column) : Syntax(Line, Column);

internal sealed record TextSyntax(string Value, int Line, int Column) : Syntax(Line, Column);

internal sealed record NameSyntax(string Name, int Line, int Column) : Syntax(Line, Column);

internal sealed record CallSyntax(string Function, IReadOnlyList<Syntax> Arguments, int Line, int Column) : Syntax(Line, Column);

internal sealed record UnarySyntax(string Operator, Syntax Operand, int Line, int Column) : Syntax(Line, Column);

internal sealed record BinarySyntax(string Operator, Syntax Left, Syntax Right, int Line, int Column) : Syntax(Line, Column);

internal sealed record LetSyntax(string Name, Syntax Value, int Line, int Column);

internal sealed record VariantSyntax(string Key, string Label, Syntax? Condition, double Urgency, double Sensitivity, int Line, int Column);

/// <summary>A rule as written: a key, a title, its category, named values, the condition that raises it, and its variants.</summary>
internal sealed record RuleSyntax(
    string Key,
    string Title,
    string Category,
    string? Advice,
    IReadOnlyList<LetSyntax> Lets,
    Syntax When,
    IReadOnlyList<VariantSyntax> Variants,
    int Line,
    int Column);
