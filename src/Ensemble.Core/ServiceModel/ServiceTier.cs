namespace Ensemble.ServiceModel;

/// <summary>A household's service tier, best first. Unsegmented households are below the service model.</summary>
public enum ServiceTier
{
    A,
    B,
    C,
    Unsegmented,
}

/// <summary>The eight facts a tier decision weighs, in the order they are explained.</summary>
public enum TierCriterion
{
    NetWorth,
    InvestableAssets,
    HouseholdIncome,
    Age,
    InitialRevenue,
    RecurringRevenue,
    ReferralsGiven,
    Products,
}
