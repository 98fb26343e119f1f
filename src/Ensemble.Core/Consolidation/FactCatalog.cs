namespace Ensemble.Consolidation;

/// <summary>
/// The facts Ensemble knows about a household, in fact-sheet order. Sources send values for the sourced
/// facts; the derived ones Ensemble computes from members, accounts, policies, meetings and discrepancies.
/// The advisory framework reads facts by key, and its type checker uses their kinds.
/// </summary>
public sealed class FactCatalog
{
    private readonly Dictionary<string, FactDefinition> byKey;

    private FactCatalog(IReadOnlyList<FactDefinition> facts)
    {
        Facts = facts;
        byKey = facts.ToDictionary(f => f.Key, StringComparer.Ordinal);
    }

    public IReadOnlyList<FactDefinition> Facts { get; }

    public int Count => Facts.Count;

    public FactDefinition this[int ordinal] => Facts[ordinal];

    public static FactCatalog Default { get; } = Build(
    [
        // Sourced: sent by the firm's systems.
        ("client.birth_date", FactKind.Date, "Primary client's date of birth", null, ["crm", "planning"]),
        ("spouse.birth_date", FactKind.Date, "Spouse or partner's date of birth", null, ["crm", "planning"]),
        ("income", FactKind.Money, "Household income a year", 12, ["planning", "crm"]),
        ("net_worth", FactKind.Money, "Net worth", 12, ["planning", "crm"]),
        ("home.value", FactKind.Money, "Value of the home and other real estate", 24, ["planning", "crm"]),
        ("home.cover", FactKind.Money, "Home insurance: rebuilding cover", 12, ["planning", "crm"]),
        ("mortgage.balance", FactKind.Money, "Mortgage balance", 12, ["custodian", "planning", "crm"]),
        ("mortgage.fixed_rate_ends", FactKind.Date, "Day the mortgage's fixed rate ends", 24, ["crm", "planning"]),
        ("life.cover", FactKind.Money, "Life insurance cover", 12, ["planning", "crm"]),
        ("disability.cover", FactKind.Money, "Disability income cover a month", 12, ["planning", "crm"]),
        ("retirement.savings", FactKind.Money, "Retirement savings", 6, ["custodian", "planning", "crm"]),
        ("retirement.income_goal", FactKind.Money, "Income wanted in retirement, a year", 24, ["planning", "crm"]),
        ("retirement.projected_income", FactKind.Money, "Projected retirement income, a year", 12, ["planning"]),
        ("rmd.required", FactKind.Money, "Required minimum distribution this year", 12, ["custodian", "planning"]),
        ("rmd.taken", FactKind.Money, "Distributions taken this year", 3, ["custodian"]),
        ("cash", FactKind.Money, "Cash held", 3, ["custodian", "planning", "crm"]),
        ("portfolio.value", FactKind.Money, "Portfolio value", 3, ["custodian", "planning", "crm"]),
        ("portfolio.largest_position", FactKind.Percent, "Largest single holding, share of the portfolio", 3, ["custodian", "planning"]),
        ("portfolio.equity", FactKind.Percent, "Equities, share of the portfolio", 3, ["custodian", "planning"]),
        ("model.equity", FactKind.Percent, "Equities in the agreed model allocation", 24, ["planning", "crm"]),
        ("ips.reviewed_on", FactKind.Date, "Investment policy statement last reviewed", null, ["crm", "planning"]),
        ("beneficiaries.reviewed_on", FactKind.Date, "Beneficiary designations last reviewed", null, ["crm", "planning"]),
        ("will.exists", FactKind.Flag, "Has a current will", 36, ["crm", "planning"]),
        ("tax.bracket", FactKind.Percent, "Marginal income tax rate", 12, ["planning", "crm"]),
        ("tax.unrealized_losses", FactKind.Money, "Unrealised losses in taxable accounts", 1, ["custodian"]),
        ("ira.pretax_balance", FactKind.Money, "Pre-tax IRA and 401(k) balance", 3, ["custodian", "planning"]),
    ],
    [
        // Derived: worked out by Ensemble from what it holds.
        ("client.age", FactKind.Number, "Primary client's age"),
        ("dependants", FactKind.Number, "Children and other dependants"),
        ("members", FactKind.Number, "People in the household"),
        ("investable_assets", FactKind.Money, "Investable assets"),
        ("touchpoint.last_held_on", FactKind.Date, "Last meeting held"),
        ("discrepancies", FactKind.Number, "Open discrepancies between sources"),
        ("stale_facts", FactKind.Number, "Facts older than their maximum age"),
    ],
    [("tier", "Service tier", ["A", "B", "C", "unsegmented"]), ("stage", "Lifecycle stage", ["prospect", "client", "former-client"])]);

    public bool TryGet(string key, out FactDefinition fact) => byKey.TryGetValue(key, out fact!);

    public FactDefinition Get(string key) =>
        byKey.TryGetValue(key, out var fact) ? fact : throw new KeyNotFoundException($"'{key}' is not a fact Ensemble knows.");

    /// <summary>The sourced facts, the ones an import may set.</summary>
    public IEnumerable<FactDefinition> Sourced => Facts.Where(f => !f.Derived);

    private static FactCatalog Build(
        (string Key, FactKind Kind, string Label, int? MaxAge, string[] Precedence)[] sourced,
        (string Key, FactKind Kind, string Label)[] derived,
        (string Key, string Label, string[] Options)[] choices)
    {
        var facts = new List<FactDefinition>();
        foreach (var (key, kind, label, maxAge, precedence) in sourced)
        {
            facts.Add(new FactDefinition(key, facts.Count, kind, label, maxAge, precedence));
        }

        foreach (var (key, kind, label) in derived)
        {
            facts.Add(new FactDefinition(key, facts.Count, kind, label, null, [], Derived: true));
        }

        foreach (var (key, label, options) in choices)
        {
            facts.Add(new FactDefinition(key, facts.Count, FactKind.Choice, label, null, [], Derived: true, options));
        }

        return new FactCatalog(facts);
    }
}
