using Ensemble.Households;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Ensemble.Storage;
using Ensemble.Storage.Households;
using Ensemble.Storage.Practice;
using Ensemble.Storage.ServiceModel;
using Ensemble.Storage.Work;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>A process on the household page: how far it has come.</summary>
public sealed record ProcessProgress(long Id, string Template, string Name, InstanceStatus Status, Instant StartedAt, int Steps, int Finished, IReadOnlyList<string> OpenSteps);

/// <summary>A line of a household's timeline, read from the audit trail.</summary>
public sealed record TimelineEntry(long Sequence, Instant At, string Actor, string What, string Entity, string? Operation);

/// <summary>Everything the household page and <c>GET /api/households/{key}</c> show.</summary>
public sealed record HouseholdProfile(
    string Key,
    string Name,
    LifecycleStage Stage,
    bool DoNotContact,
    IReadOnlyList<string> PreferredChannels,
    IReadOnlyList<string> Tags,
    HouseholdFacts Facts,
    IReadOnlyList<MemberLine> Members,
    IReadOnlyList<AccountLine> Accounts,
    IReadOnlyList<PolicyLine> Policies,
    IReadOnlyList<TrustedAdvisor> TrustedAdvisors,
    IReadOnlyList<TeamMemberView> Team,
    IReadOnlyList<ProcessProgress> Processes,
    IReadOnlyList<TaskView> OpenTasks,
    TierDecision Tier)
{
    public static async Task<HouseholdProfile?> ReadAsync(EnsembleDb db, IClock clock, string key, CancellationToken cancellationToken)
    {
        var household = await new HouseholdDirectory(db, clock).FindAsync(key, cancellationToken);
        if (household is null)
        {
            return null;
        }

        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        var team = await new Teams(db, clock).ShowAsync(key, cancellationToken);
        var processes = await new HouseholdDirectory(db, clock).ProcessesAsync(household.Id, cancellationToken);
        var open = await new TaskViews(db).ForHouseholdAsync(household.Id, includeClosed: false, cancellationToken: cancellationToken);
        return new HouseholdProfile(
            household.Key,
            household.Name,
            household.Stage,
            household.DoNotContact,
            household.PreferredChannels,
            household.Tags,
            household.Facts(today),
            household.Members.Select(m => new MemberLine(m.FullName, m.Relationship, m.BirthDate, m.AgeOn(today), m.Email)).ToList(),
            household.Accounts.Select(a => new AccountLine(a.ExternalId, a.Type, a.Custodian, a.Value.Amount, a.OpenedOn)).ToList(),
            household.Policies.Select(p => new PolicyLine(p.ExternalId, p.Type, p.Carrier, p.Coverage.Amount, p.AnnualPremium.Amount, p.Insured)).ToList(),
            household.TrustedAdvisors,
            team,
            await ProgressAsync(db, processes, cancellationToken),
            open,
            await TierBook.DecideAsync(db, household, today, cancellationToken));
    }

    // Progress counts the template's steps, not just the tasks created so far.
    private static async Task<List<ProcessProgress>> ProgressAsync(EnsembleDb db, List<ProcessInstance> processes, CancellationToken cancellationToken)
    {
        var list = new List<ProcessProgress>(processes.Count);
        foreach (var instance in processes)
        {
            var template = await TemplateCache.GetAsync(db, instance.TemplateVersionId, cancellationToken);
            list.Add(Progress(instance, template.Steps.Count));
        }

        return list;
    }

    private static ProcessProgress Progress(ProcessInstance instance, int steps) => new(
        instance.Id.Value,
        instance.TemplateKey,
        instance.TemplateName,
        instance.Status,
        instance.StartedAt,
        steps,
        instance.Tasks.Count(t => t.Status is WorkTaskStatus.Done or WorkTaskStatus.Skipped),
        instance.Tasks.Where(t => t.Status is WorkTaskStatus.Open or WorkTaskStatus.InProgress).Select(t => t.Title).ToList());
}

public sealed record MemberLine(string Name, Relationship Relationship, LocalDate? BirthDate, int? Age, string? Email);

public sealed record AccountLine(string Id, string Type, string Custodian, decimal Value, LocalDate? OpenedOn);

public sealed record PolicyLine(string Id, string Type, string Carrier, decimal Coverage, decimal AnnualPremium, string? Insured);
