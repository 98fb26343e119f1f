namespace Ensemble.Households;

/// <summary>A professional outside the firm the household relies on: CPA, attorney, insurance agent…</summary>
public sealed record TrustedAdvisor(string Kind, string Name, string? Firm, string? Email, string? Phone);
