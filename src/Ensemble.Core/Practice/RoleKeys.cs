namespace Ensemble.Practice;

/// <summary>The roles every firm starts with (seed 002 plus the CSA and AA of the SEI library).</summary>
public static class RoleKeys
{
    public const string WealthPartner = "wealth-partner";
    public const string FinancialAdvisor = "financial-advisor";
    public const string Paraplanner = "paraplanner";
    public const string ClientCareCoordinator = "client-care-coordinator";
    public const string OperationsSpecialist = "operations-specialist";
    public const string ClientServiceAssociate = "client-service-associate";
    public const string AssociateAdvisor = "associate-advisor";
    public const string Principal = "principal";
    public const string Compliance = "compliance";

    public static string Normalize(string key) => key.Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-');

    public static IReadOnlyList<Role> Defaults { get; } =
    [
        new(WealthPartner, "Wealth partner", "Owns the relationship, gives the major advice, gathers assets and mentors the team.", builtIn: true),
        new(FinancialAdvisor, "Financial advisor", "Looks after simpler relationships, gathers plan inputs, makes investment changes and handles service requests.", builtIn: true),
        new(Paraplanner, "Paraplanner", "Handles account-level requests, prepares meetings, keeps beneficiaries, banking and online access in order.", builtIn: true),
        new(ClientCareCoordinator, "Client care coordinator", "Runs the review process: calls, scheduling, address changes and client events.", builtIn: true),
        new(OperationsSpecialist, "Operations specialist", "Does paraplanner-style operational work for an assigned set of clients.", builtIn: true),
        new(ClientServiceAssociate, "Client service associate", "Opens accounts, moves money and processes client information changes and other service requests.", builtIn: true),
        new(AssociateAdvisor, "Associate advisor", "Manages portfolio strategy, fees, trades and tax work for households.", builtIn: true),
        new(Principal, "Principal", "Leads the firm; owns strategic, financial and people processes.", RoleScope.Firm, builtIn: true),
        new(Compliance, "Compliance officer", "Reviews communications, keeps the compliance manual and Form ADV current.", RoleScope.Firm, builtIn: true),
    ];
}
