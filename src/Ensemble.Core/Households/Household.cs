using Ensemble.Common;
using NodaTime;

namespace Ensemble.Households;

public enum LifecycleStage
{
    Prospect,
    Client,
    FormerClient,
}

/// <summary>
/// A household: the unit a firm serves. Its key is the external id of the system it came from,
/// so a re-import updates the same household instead of creating another.
/// </summary>
public sealed class Household
{
    private Household()
    {
        Key = "";
        Name = "";
    }

    public Household(string key, string name, LifecycleStage stage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Key = key.Trim();
        Name = name.Trim();
        Stage = stage;
    }

    public HouseholdId Id { get; private set; }

    public string Key { get; private set; }

    public string Name { get; private set; }

    public LifecycleStage Stage { get; private set; }

    /// <summary>Channels in the order the household prefers them: email, phone, letter, portal, sms.</summary>
    public List<string> PreferredChannels { get; private set; } = [];

    public bool DoNotContact { get; private set; }

    public List<string> Tags { get; private set; } = [];

    /// <summary>Facts as stated (by the client, the CRM or a planning tool); some are derived when accounts exist.</summary>
    public StatedFacts Stated { get; private set; } = new();

    public List<Member> Members { get; private set; } = [];

    public List<Account> Accounts { get; private set; } = [];

    public List<Policy> Policies { get; private set; } = [];

    public List<TrustedAdvisor> TrustedAdvisors { get; private set; } = [];

    /// <summary>The month (1–12) the household's annual review falls in; the rest of its service year is laid out from it.</summary>
    public int? ReviewMonth { get; private set; }

    /// <summary>The couple's wedding date, for anniversary contact; null when not known or not married.</summary>
    public LocalDate? MarriedOn { get; private set; }

    /// <summary>Where letters go: the postal address as lines separated by newlines; null when not known.</summary>
    public string? MailingAddress { get; private set; }

    /// <summary>Investable assets: the sum of investable account values when accounts are known, else the stated figure.</summary>
    public Money? InvestableAssets =>
        Accounts.Count > 0
            ? Accounts.Where(a => AccountTypes.IsInvestable(a.Type)).Aggregate(Money.Zero, (sum, a) => sum + a.Value)
            : Stated.InvestableAssets;

    /// <summary>Products held: accounts plus policies when any are known, else the stated count.</summary>
    public int? Products => Accounts.Count + Policies.Count > 0 ? Accounts.Count + Policies.Count : Stated.Products;

    public Member? PrimaryMember => Members.FirstOrDefault(m => m.Relationship == Relationship.Primary) ?? Members.FirstOrDefault();

    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
    }

    /// <summary>Moves the household along its lifecycle; returns true when the stage changed.</summary>
    public bool MoveTo(LifecycleStage stage)
    {
        if (Stage == stage)
        {
            return false;
        }

        Stage = stage;
        return true;
    }

    public void SetCommunication(IEnumerable<string> channels, bool doNotContact)
    {
        PreferredChannels = channels.Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct().ToList();
        DoNotContact = doNotContact;
    }

    public void SetReviewMonth(int? month)
    {
        if (month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "A review month is 1 to 12.");
        }

        ReviewMonth = month;
    }

    public void SetMarriedOn(LocalDate? date) => MarriedOn = date;

    public void SetMailingAddress(string? address)
    {
        var lines = (address ?? "").Replace("\r", "", StringComparison.Ordinal).Split(['\n', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        MailingAddress = lines.Length == 0 ? null : string.Join('\n', lines);
    }

    public void SetTags(IEnumerable<string> tags) => Tags = tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();

    public void SetStatedFacts(StatedFacts facts) => Stated = facts;

    public Member UpsertMember(string externalId, string firstName, string lastName, LocalDate? birthDate, Relationship relationship, string? email)
    {
        var member = Members.FirstOrDefault(m => m.ExternalId == externalId);
        if (member is null)
        {
            member = new Member(externalId, firstName, lastName, birthDate, relationship, email);
            Members.Add(member);
        }
        else
        {
            member.Update(firstName, lastName, birthDate, relationship, email);
        }

        return member;
    }

    /// <summary>Adds or updates an account; returns true when the account is new (an "account opened" event).</summary>
    public bool UpsertAccount(string externalId, string type, string custodian, Money value, LocalDate? openedOn)
    {
        var account = Accounts.FirstOrDefault(a => a.ExternalId == externalId);
        if (account is null)
        {
            Accounts.Add(new Account(externalId, type, custodian, value, openedOn));
            return true;
        }

        account.Update(type, custodian, value, openedOn);
        return false;
    }

    public void UpsertPolicy(string externalId, string type, string carrier, Money coverage, Money annualPremium, string? insured)
    {
        var policy = Policies.FirstOrDefault(p => p.ExternalId == externalId);
        if (policy is null)
        {
            Policies.Add(new Policy(externalId, type, carrier, coverage, annualPremium, insured));
        }
        else
        {
            policy.Update(type, carrier, coverage, annualPremium, insured);
        }
    }

    public void AddTrustedAdvisor(TrustedAdvisor advisor)
    {
        TrustedAdvisors.RemoveAll(a => a.Kind == advisor.Kind && a.Name == advisor.Name);
        TrustedAdvisors.Add(advisor);
    }

    /// <summary>A flat snapshot of the facts that conditions, tiering and rules read.</summary>
    public HouseholdFacts Facts(LocalDate today) => HouseholdFacts.From(this, today);
}

/// <summary>Facts stated for a household; null means not known (never treated as zero).</summary>
public sealed record StatedFacts(
    Money? NetWorth = null,
    Money? InvestableAssets = null,
    Money? HouseholdIncome = null,
    Money? InitialRevenue = null,
    Money? RecurringRevenue = null,
    int? ReferralsGiven = null,
    int? Products = null);
