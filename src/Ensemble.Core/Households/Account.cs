using Ensemble.Common;
using NodaTime;

namespace Ensemble.Households;

/// <summary>A financial account held by the household at a custodian.</summary>
public sealed class Account
{
    private Account()
    {
        ExternalId = "";
        Type = "";
        Custodian = "";
    }

    internal Account(string externalId, string type, string custodian, Money value, LocalDate? openedOn)
    {
        ExternalId = externalId;
        Type = AccountTypes.Normalize(type);
        Custodian = custodian;
        Value = value;
        OpenedOn = openedOn;
    }

    public long Id { get; private set; }

    public string ExternalId { get; private set; }

    /// <summary>Normalised type, e.g. <c>ira</c>, <c>roth-ira</c>, <c>joint</c>, <c>checking</c>.</summary>
    public string Type { get; private set; }

    public string Custodian { get; private set; }

    public Money Value { get; private set; }

    public LocalDate? OpenedOn { get; private set; }

    internal void Update(string type, string custodian, Money value, LocalDate? openedOn)
    {
        Type = AccountTypes.Normalize(type);
        Custodian = custodian;
        Value = value;
        OpenedOn = openedOn;
    }
}

/// <summary>Account types Ensemble knows; others are accepted and kept as given.</summary>
public static class AccountTypes
{
    private static readonly HashSet<string> NotInvestable = ["checking", "savings", "mortgage", "loan", "credit-card", "heloc"];

    public static string Normalize(string type) => type.Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-');

    /// <summary>Bank and debt accounts are not investable assets.</summary>
    public static bool IsInvestable(string type) => !NotInvestable.Contains(type);
}
