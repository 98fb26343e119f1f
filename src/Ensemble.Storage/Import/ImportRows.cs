using Ensemble.Common;
using Ensemble.Households;
using NodaTime;

namespace Ensemble.Storage.Import;

/// <summary>A checked row of an import file.</summary>
internal abstract record ImportRow(int Line, string HouseholdKey)
{
    /// <summary>What must be unique within the file: the household id, or household and member/account/policy id.</summary>
    public abstract string Identity { get; }

    /// <summary>False when a required field was missing (already reported); such rows are not applied.</summary>
    public abstract bool Complete { get; }
}

internal sealed record HouseholdRow(int Line, string HouseholdKey, string Name, LifecycleStage Stage, StatedFacts Facts, List<string> Channels, bool DoNotContact, List<string> Tags, string? MailingAddress = null)
    : ImportRow(Line, HouseholdKey)
{
    public override string Identity => HouseholdKey;

    public override bool Complete => HouseholdKey is not null && Name is not null;
}

internal sealed record MemberRow(int Line, string HouseholdKey, string ExternalId, string FirstName, string LastName, LocalDate? BirthDate, Relationship Relationship, string? Email)
    : ImportRow(Line, HouseholdKey)
{
    public override string Identity => $"{HouseholdKey} / {ExternalId}";

    public override bool Complete => HouseholdKey is not null && ExternalId is not null && FirstName is not null && LastName is not null;
}

internal sealed record AccountRow(int Line, string HouseholdKey, string ExternalId, string Type, string Custodian, Money Value, LocalDate? OpenedOn)
    : ImportRow(Line, HouseholdKey)
{
    public override string Identity => $"{HouseholdKey} / {ExternalId}";

    public override bool Complete => HouseholdKey is not null && ExternalId is not null && Type is not null && Custodian is not null;
}

internal sealed record PolicyRow(int Line, string HouseholdKey, string ExternalId, string Type, string Carrier, Money Coverage, Money AnnualPremium, string? Insured)
    : ImportRow(Line, HouseholdKey)
{
    public override string Identity => $"{HouseholdKey} / {ExternalId}";

    public override bool Complete => HouseholdKey is not null && ExternalId is not null && Type is not null && Carrier is not null;
}
