namespace Ensemble.Consolidation;

/// <summary>
/// What a fact holds. Every kind is stored as one number (a date as its day number, a flag as 0 or 1,
/// a choice as its option's index), so a household's facts fit one array the framework reads without parsing.
/// </summary>
public enum FactKind
{
    Money,
    Number,
    Percent,
    Date,
    Flag,
    Choice,
}
