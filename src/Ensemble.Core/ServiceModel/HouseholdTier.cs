using Ensemble.Common;
using NodaTime;

namespace Ensemble.ServiceModel;

/// <summary>
/// A household's stored tier: what the facts gave when last decided, and any override set by hand.
/// Kept as a row so lists, the calendar and capacity read a tier without re-deciding it, and so
/// every change of tier (computed or by hand) is an audited event.
/// </summary>
public sealed class HouseholdTier
{
    private HouseholdTier()
    {
    }

    public HouseholdTier(HouseholdId householdId, ServiceTier computed, IEnumerable<TierCriterion> missing, LocalDate decidedOn)
    {
        HouseholdId = householdId;
        Computed = computed;
        Missing = missing.Select(m => m.ToString()).ToList();
        DecidedOn = decidedOn;
    }

    public HouseholdId HouseholdId { get; private set; }

    /// <summary>The tier the facts give under the firm's model.</summary>
    public ServiceTier Computed { get; private set; }

    /// <summary>Criteria whose facts were unknown at the last decision (names of <see cref="TierCriterion"/>).</summary>
    public List<string> Missing { get; private set; } = [];

    /// <summary>The day the current decision was reached (unchanged while re-deciding gives the same answer, so a daily pass writes nothing).</summary>
    public LocalDate DecidedOn { get; private set; }

    public ServiceTier? OverrideTier { get; private set; }

    public string? OverrideReason { get; private set; }

    /// <summary>The last day the override applies; null for no end.</summary>
    public LocalDate? OverrideUntil { get; private set; }

    public string? OverrideBy { get; private set; }

    public TierOverride? Override =>
        OverrideTier is { } tier && TierOverride.Create(tier, OverrideReason, OverrideUntil) is { IsSuccess: true } made ? made.Value : null;

    /// <summary>The tier in force on a day: the override while it lasts, else the computed tier.</summary>
    public ServiceTier InForceOn(LocalDate today) =>
        Override is { } manual && manual.IsActiveOn(today) ? manual.Tier : Computed;

    /// <summary>Records a computed decision; returns true when the computed tier changed. A repeat of the same decision changes nothing.</summary>
    public bool Record(ServiceTier computed, IEnumerable<TierCriterion> missing, LocalDate decidedOn)
    {
        var names = missing.Select(m => m.ToString()).ToList();
        var moved = computed != Computed;
        if (!moved && names.SequenceEqual(Missing))
        {
            return false;
        }

        Computed = computed;
        Missing = names;
        DecidedOn = decidedOn;
        return moved;
    }

    public void SetOverride(TierOverride manual, string by)
    {
        ArgumentNullException.ThrowIfNull(manual);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        OverrideTier = manual.Tier;
        OverrideReason = manual.Reason;
        OverrideUntil = manual.Until;
        OverrideBy = by;
    }

    public void ClearOverride()
    {
        OverrideTier = null;
        OverrideReason = null;
        OverrideUntil = null;
        OverrideBy = null;
    }
}
