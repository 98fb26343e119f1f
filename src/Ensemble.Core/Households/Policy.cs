using Ensemble.Common;

namespace Ensemble.Households;

/// <summary>An insurance policy: life, disability, long-term care, home, umbrella…</summary>
public sealed class Policy
{
    private Policy()
    {
        ExternalId = "";
        Type = "";
        Carrier = "";
    }

    internal Policy(string externalId, string type, string carrier, Money coverage, Money annualPremium, string? insured)
    {
        ExternalId = externalId;
        Type = AccountTypes.Normalize(type);
        Carrier = carrier;
        Coverage = coverage;
        AnnualPremium = annualPremium;
        Insured = insured;
    }

    public long Id { get; private set; }

    public string ExternalId { get; private set; }

    public string Type { get; private set; }

    public string Carrier { get; private set; }

    public Money Coverage { get; private set; }

    public Money AnnualPremium { get; private set; }

    /// <summary>External id of the member insured, when known.</summary>
    public string? Insured { get; private set; }

    internal void Update(string type, string carrier, Money coverage, Money annualPremium, string? insured)
    {
        Type = AccountTypes.Normalize(type);
        Carrier = carrier;
        Coverage = coverage;
        AnnualPremium = annualPremium;
        Insured = insured;
    }
}
