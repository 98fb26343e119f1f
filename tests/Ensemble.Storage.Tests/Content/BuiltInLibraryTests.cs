using Ensemble.Practice;
using Ensemble.Processes.Templates;
using Ensemble.Storage.Library;

namespace Ensemble.Storage.Tests.Content;

/// <summary>The workflow library shipped inside the program: every template loads, and it covers the source's workflows.</summary>
public sealed class BuiltInLibraryTests
{
    private static readonly IReadOnlySet<string> Roles = RoleKeys.Defaults.Select(r => r.Key).ToHashSet();

    // The workflows of the source library (seed 000), by category folder.
    private static readonly (string Category, string[] Keys)[] Expected =
    [
        ("client-management", ["client-communications", "periodic-contact", "planning-services-meeting", "review-meeting",
            "topic-meeting", "action-item-review"]),
        ("service-requests", ["new-account-opening", "money-movement-in", "money-movement-out", "client-information-change", "account-features",
            "service-client-communications", "account-profile-change", "account-liquidation", "account-closing", "general-service-request",
            "strategy-management", "fee-management", "trade-request", "tax-management", "new-proposal"]),
        ("sales", ["sales-introduction", "fact-finding-meeting", "proposal-meeting"]),
        ("onboarding", ["wealth-management-meeting", "asset-management-execution"]),
        ("practice-management", ["equipment-maintenance", "new-equipment", "office-supplies-replenishment", "periodic-accounting-review",
            "periodic-revenue-reconciliation", "new-hire-process", "periodic-employee-review", "marketing-planning-meeting",
            "periodic-lead-generation-review", "periodic-marketing-review", "periodic-social-media-review", "periodic-workflow-review",
            "compliance-manual-update", "form-adv-update", "periodic-education-requirements-review", "business-planning-meeting",
            "periodic-business-review", "new-technology", "technology-maintenance"]),
        ("marketing", ["client-referral", "coi-referral", "event-planning", "social-media-content", "webinar-planning"]),
        ("client-management", ["client-contact"]),
    ];

    [Fact]
    public void EveryTemplateLoadsWithoutError_UsingOnlyTheFirmsRoles()
    {
        var texts = BuiltInLibrary.Texts();
        var problems = texts.SelectMany(t => TemplateLoader.Load(t.Yaml, t.Name, Roles).Diagnostics).Select(d => d.ToString()).ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void TheLibraryHoldsEverySourceWorkflow_InItsCategoryFolder()
    {
        var present = BuiltInLibrary.Texts().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var missing = Expected.SelectMany(c => c.Keys.Select(k => $"library/{c.Category}/{k}.yaml")).Where(name => !present.Contains(name)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryTemplatesCategoryMatchesItsFolder_AndItsKeyItsFileName()
    {
        foreach (var (name, yaml) in BuiltInLibrary.Texts())
        {
            var template = TemplateLoader.Load(yaml, name, Roles).Template!;
            var parts = name.Split('/');
            Assert.Equal(parts[^1], template.Key + ".yaml");
            Assert.Equal(parts[^2], TemplateLibrary.CategoryFolder(template.Category));
        }
    }

    [Fact]
    public void EveryPeriodicTemplateHasACadence_AndEveryTemplateCanStartSomehow()
    {
        foreach (var (name, yaml) in BuiltInLibrary.Texts())
        {
            var template = TemplateLoader.Load(yaml, name, Roles).Template!;
            Assert.True(template.Triggers.Count > 0, $"{name} has no trigger.");
            foreach (var periodic in template.Triggers.OfType<PeriodicTrigger>())
            {
                Assert.True(periodic.Cadence != Cadence.Cron || !string.IsNullOrWhiteSpace(periodic.CronExpression), $"{name} has a cron trigger without an expression.");
            }
        }
    }

    [Fact]
    public void EveryStepHasAnOwnerRoleAndInstructions()
    {
        foreach (var (name, yaml) in BuiltInLibrary.Texts())
        {
            var template = TemplateLoader.Load(yaml, name, Roles).Template!;
            Assert.InRange(template.Steps.Count, 3, 30);
            Assert.All(template.Steps, s =>
            {
                Assert.Contains(s.Role, Roles);
                Assert.False(string.IsNullOrWhiteSpace(s.Instructions), $"{name}: step {s.Key} has no instructions.");
            });
        }
    }
}
