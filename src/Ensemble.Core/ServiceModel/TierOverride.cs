using Ensemble.Common;
using NodaTime;

namespace Ensemble.ServiceModel;

/// <summary>A tier set by hand, with the reason the computed tier was set aside, valid through <see cref="Until"/> if given.</summary>
public sealed record TierOverride
{
    private TierOverride(ServiceTier tier, string reason, LocalDate? until)
    {
        Tier = tier;
        Reason = reason;
        Until = until;
    }

    public ServiceTier Tier { get; }

    public string Reason { get; }

    /// <summary>The last day the override applies; null for no end.</summary>
    public LocalDate? Until { get; }

    /// <summary>An override needs a reason: the next advisor must be able to tell why the household is not where the numbers put it.</summary>
    public static Result<TierOverride> Create(ServiceTier tier, string? reason, LocalDate? until = null)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("A tier override needs a reason.");
        }

        if (!Enum.IsDefined(tier))
        {
            return Error.Invalid($"Unknown tier {tier}.");
        }

        return new TierOverride(tier, reason.Trim(), until);
    }

    public bool IsActiveOn(LocalDate today) => Until is null || today <= Until;
}
