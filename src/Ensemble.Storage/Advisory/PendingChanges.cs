using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>A rule firing for a household with no alert open: a new alert, linked to the last resolved one when known.</summary>
internal readonly record struct NewAlert(long Household, int Rule, int Variant, string Explanation, long? Previous, int ReopenCount);

/// <summary>The open alert of a household and rule now fires at another variant.</summary>
internal readonly record struct VariantMove(long Household, int Rule, int ToVariant, string Explanation);

/// <summary>The open alert of a household and rule the run closes: its condition cleared, or its rule left the framework.</summary>
internal readonly record struct AutomaticResolution(long Household, string RuleKey, AlertResolution Why);

/// <summary>A rule that could not be evaluated for a household, with the reason.</summary>
internal readonly record struct NotEvaluated(long Household, string RuleKey, string Reason);

/// <summary>The changes found since the last write, written together in one transaction.</summary>
internal sealed class PendingChanges
{
    public List<NewAlert> Raise { get; } = [];

    public List<VariantMove> Moves { get; } = [];

    public List<AutomaticResolution> Resolve { get; } = [];

    /// <summary>Held alerts whose condition cleared (or that a new alert supersedes): they no longer hold their rule back.</summary>
    public List<long> Release { get; } = [];

    public List<NotEvaluated> Unevaluated { get; } = [];

    /// <summary>Entries of the could-not-evaluate list that now evaluate (or whose rule is gone).</summary>
    public List<(long Household, string RuleKey)> Evaluated { get; } = [];

    public int Count => Raise.Count + Moves.Count + Resolve.Count + Release.Count + Unevaluated.Count + Evaluated.Count;

    public void Clear()
    {
        Raise.Clear();
        Moves.Clear();
        Resolve.Clear();
        Release.Clear();
        Unevaluated.Clear();
        Evaluated.Clear();
    }
}
