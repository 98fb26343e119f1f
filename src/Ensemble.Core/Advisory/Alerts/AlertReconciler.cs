namespace Ensemble.Advisory.Alerts;

/// <summary>What a run does about one rule for one household.</summary>
public enum AlertAction
{
    /// <summary>Nothing to write: no alert and none needed, the open one is at the right variant, or it is snoozed.</summary>
    None,

    /// <summary>The rule fires and no alert is open: open one.</summary>
    Raise,

    /// <summary>The rule fires at another variant than the open alert's: move it (its status is kept).</summary>
    MoveVariant,

    /// <summary>The rule no longer fires: resolve the open alert, condition cleared.</summary>
    Resolve,

    /// <summary>The rule met a missing value or an impossible calculation: record it and leave any open alert as it is.</summary>
    CouldNotEvaluate,

    /// <summary>The condition cleared after a person resolved the alert: a later firing raises a new one.</summary>
    Release,
}

/// <summary>Compares a rule's outcome for a household with the alert open for it; pure, so the run and the tests agree.</summary>
public static class AlertReconciler
{
    /// <param name="outcome">The framework's outcome: 0 not raised, -1 could not evaluate, k ≥ 1 variant k-1.</param>
    /// <param name="openVariant">The open alert's variant index, -1 when its variant is no longer in the rule; ignored when <paramref name="hasOpen"/> is false.</param>
    /// <param name="hasOpen">Whether an alert is open for the household and rule.</param>
    /// <param name="snoozed">Whether that alert is snoozed today: it stays quiet until its day.</param>
    /// <param name="heldVariant">
    /// The variant of an alert a person resolved while the rule still fired (see <see cref="Alert.HoldsUntilCleared"/>),
    /// or -1: the rule is not raised again at that variant until the condition clears.
    /// </param>
    public static AlertAction Decide(int outcome, bool hasOpen, int openVariant, bool snoozed, int heldVariant = -1)
    {
        if (outcome == AdvisoryFramework.CouldNotEvaluate)
        {
            return AlertAction.CouldNotEvaluate;
        }

        if (hasOpen && snoozed)
        {
            return AlertAction.None;
        }

        if (outcome == AdvisoryFramework.NotRaised)
        {
            return hasOpen ? AlertAction.Resolve : heldVariant >= 0 ? AlertAction.Release : AlertAction.None;
        }

        if (hasOpen)
        {
            return openVariant != outcome - 1 ? AlertAction.MoveVariant : AlertAction.None;
        }

        return heldVariant == outcome - 1 ? AlertAction.None : AlertAction.Raise;
    }
}
