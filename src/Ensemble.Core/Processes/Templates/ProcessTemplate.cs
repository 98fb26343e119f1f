namespace Ensemble.Processes.Templates;

/// <summary>The six categories of the workflow library.</summary>
public enum TemplateCategory
{
    ClientManagement,
    ServiceRequests,
    Sales,
    Onboarding,
    PracticeManagement,
    Marketing,
}

/// <summary>Whether an instance runs for one household or for the firm itself (practice management).</summary>
public enum TemplateScope
{
    Household,
    Firm,
}

/// <summary>
/// A process definition as loaded from YAML and validated. Immutable: a change is a new version.
/// </summary>
public sealed record ProcessTemplate(
    string Key,
    string Name,
    TemplateCategory Category,
    TemplateScope Scope,
    string Description,
    string OwnerRole,
    IReadOnlyList<string> Anchors,
    IReadOnlyList<Trigger> Triggers,
    IReadOnlyList<StepDefinition> Steps)
{
    private Dictionary<string, StepDefinition>? _byKey;
    private ILookup<string, StepDefinition>? _dependents;

    public StepDefinition? FindStep(string key)
    {
        _byKey ??= Steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        return _byKey.GetValueOrDefault(key);
    }

    /// <summary>Steps that wait for nothing: they become tasks when an instance starts.</summary>
    public IEnumerable<StepDefinition> EntrySteps => Steps.Where(s => s.After.Count == 0);

    /// <summary>Steps waiting for <paramref name="stepKey"/>.</summary>
    public IEnumerable<StepDefinition> Dependents(string stepKey)
    {
        _dependents ??= Steps.SelectMany(s => s.After.Select(a => (After: a, Step: s))).ToLookup(x => x.After, x => x.Step, StringComparer.Ordinal);
        return _dependents[stepKey];
    }
}

/// <summary>One step of a process: becomes a task for a role when the steps it waits for are done.</summary>
public sealed record StepDefinition(
    string Key,
    string Title,
    string Instructions,
    string Role,
    int EstimatedMinutes,
    DueRule? Due,
    IReadOnlyList<string> After,
    FactCondition? Condition,
    IReadOnlyList<string> Checklist,
    bool Skippable);
