using Ensemble.Practice;
using Ensemble.Processes.Templates;

namespace Ensemble.Tests.Processes.Templates;

/// <summary>Shared inputs for template tests: the default roles and small valid templates to vary.</summary>
internal static class TemplateYaml
{
    public const string File = "test.yaml";

    public static IReadOnlySet<string> Roles { get; } = RoleKeys.Defaults.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Six header lines; the steps given start on line 7.</summary>
    public const string Header = """
        key: test-process
        name: Test process
        category: sales
        description: A process for tests.
        owner: paraplanner
        steps:

        """;

    public const string Full = """
        key: new-account-opening
        name: New Account Opening
        category: service-requests
        scope: household
        description: >
          Opens a new account for a client household,
          from paperwork to funding.
        owner: client-service-associate
        anchors: [meeting]
        triggers:
          - manual
          - on: household-became-client
          - on: process-completed
            process: sales-introduction
          - every: quarterly
            day: 5
            start-month: 2
            for: all-clients
            missed: catch-up
            catch-up-days: 15
            overlap: allow
          - cron: "0 9 * * 1"
            missed: skip
            overlap: cancel-previous
        steps:
          - key: prepare-forms
            title: Prepare the application
            role: client-service-associate
            instructions: |
              Pre-fill the custodian's application from the household record.
              Flag anything missing.
            minutes: 30
            due: 2 business days after start
            checklist: [Application, Transfer form]
          - key: collect-forms
            title: Collect signed forms
            role: paraplanner
            due: 3 business days after prepare-forms
            after: prepare-forms
            when: "investable_assets >= 1000000 and has_account('ira')"
            skippable: true
          - key: review-at-meeting
            title: 'Review: the new account'
            role: wealth-partner
            due: 2 days before meeting
            after: [collect-forms]

        """;

    public static TemplateLoadResult Load(string yaml) => TemplateLoader.Load(yaml, File, Roles);

    public static TemplateLoadResult LoadSteps(string steps) => Load(Header + steps);

    public static ProcessTemplate Loaded(string yaml)
    {
        var result = Load(yaml);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Template!;
    }

    /// <summary>Asserts the load failed with a diagnostic at exactly this position whose message contains <paramref name="text"/>.</summary>
    public static TemplateDiagnostic AssertError(TemplateLoadResult result, int line, int column, string text)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Template);
        var found = result.Diagnostics.FirstOrDefault(d => d.Line == line && d.Column == column && d.Message.Contains(text, StringComparison.Ordinal));
        Assert.True(found is not null, $"Expected {line}:{column} \"{text}\" in:{Environment.NewLine}{string.Join(Environment.NewLine, result.Diagnostics)}");
        Assert.Equal(File, found.File);
        return found;
    }

    /// <summary>Steps named in order, each waiting for the previous one.</summary>
    public static string Chain(int length)
    {
        var yaml = new System.Text.StringBuilder(Header);
        for (var i = 0; i < length; i++)
        {
            yaml.Append("  - key: s").Append(i).Append('\n')
                .Append("    title: Step ").Append(i).Append('\n')
                .Append("    role: paraplanner\n");
            if (i > 0)
            {
                yaml.Append("    after: [s").Append(i - 1).Append("]\n")
                    .Append("    due: 1 business day after s0\n");
            }
        }

        return yaml.ToString();
    }
}
