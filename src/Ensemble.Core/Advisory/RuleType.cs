namespace Ensemble.Advisory;

/// <summary>The types of the rule language. Every value is a number at run time; the type decides what may be combined.</summary>
public enum RuleType
{
    /// <summary>True, false or not known (1, 0, NaN).</summary>
    Condition,
    Number,
    Money,
    Percent,
    Date,
    Choice,
    Text,
}
