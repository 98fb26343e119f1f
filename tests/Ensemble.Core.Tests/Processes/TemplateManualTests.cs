using Ensemble.Practice;
using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes;

public sealed class TemplateManualTests
{
    private static readonly Dictionary<string, string> RoleNames = RoleKeys.Defaults.ToDictionary(r => r.Key, r => r.Name);

    private static string Manual(string yaml) => TemplateManual.ToMarkdown(Loaded(yaml), RoleNames);

    [Fact]
    public void ToMarkdown_StartsWithNameCategoryOwnerAndDescription()
    {
        var md = Manual(Full);

        Assert.StartsWith("# New Account Opening\n\n- **Category:** Service requests\n- **Runs for:** one household at a time\n- **Owner:** Client service associate\n- **Dates it tracks:** meeting\n", md, StringComparison.Ordinal);
        Assert.Contains("\nOpens a new account for a client household, from paperwork to funding.\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_DescribesEveryTriggerInWords_WithItsPolicies()
    {
        var md = Manual(Full);

        Assert.Contains("""
            ## How it starts

            - By hand.
            - When a household becomes a client.
            - When the `sales-introduction` process completes for a household.
            - Every quarter on the 5th business day of February, May, August and November, for every client household.
              - **If missed while Ensemble was not running:** started late, if still within 15 days
              - **If the previous one is still open:** a new one starts alongside it
            - On the cron schedule `0 9 * * 1` (firm time zone), for every client household.
              - **If missed while Ensemble was not running:** skipped; it waits for the next occurrence
              - **If the previous one is still open:** its remaining tasks are cancelled and a new one starts
            """.ReplaceLineEndings("\n"), md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_ListsStepsAfterTheStepsTheyWaitFor_EvenWhenTheFileDoesNot()
    {
        var md = Manual(Header + """
              - key: present
                title: Present the plan
                role: wealth-partner
                after: [draft, gather]
              - key: draft
                title: Draft the plan
                role: paraplanner
                after: [gather]
              - key: gather
                title: Gather documents
                role: client-service-associate

            """);

        var gather = md.IndexOf("1. **Gather documents**", StringComparison.Ordinal);
        var draft = md.IndexOf("2. **Draft the plan**", StringComparison.Ordinal);
        var present = md.IndexOf("3. **Present the plan**", StringComparison.Ordinal);
        Assert.True(gather >= 0 && gather < draft && draft < present, md);
        Assert.Contains("   - **Waits for:** Draft the plan, Gather documents\n", md, StringComparison.Ordinal);
        Assert.Contains("   - **Waits for:** nothing; ready when the process starts\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_DescribesEachStepFully()
    {
        var md = Manual(Full);

        Assert.Contains("""
            1. **Prepare the application**

               - **Who:** Client service associate
               - **Due:** 2 business days after start
               - **Waits for:** nothing; ready when the process starts
               - **May be skipped:** no
               - **Estimated time:** 30 minutes
               - **Checklist:**
                 - [ ] Application
                 - [ ] Transfer form

               Pre-fill the custodian's application from the household record.\
               Flag anything missing.

            2. **Collect signed forms**

               - **Who:** Paraplanner
               - **Due:** 3 business days after 'Prepare the application'
               - **Waits for:** Prepare the application
               - **Only when:** `investable_assets >= 1000000 and has_account('ira')`
               - **May be skipped:** yes
            """.ReplaceLineEndings("\n"), md, StringComparison.Ordinal);
        Assert.Contains("   - **Due:** 2 days before meeting\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_WithoutRoleNames_ShowsRoleKeys()
    {
        var md = TemplateManual.ToMarkdown(Loaded(Full));

        Assert.Contains("- **Owner:** client-service-associate\n", md, StringComparison.Ordinal);
        Assert.Contains("   - **Who:** wealth-partner\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_EscapesMarkdownInTemplateText()
    {
        var md = Manual(Header + """
              - key: fees
                title: Fees & <terms> *now*
                role: paraplanner
                instructions: |
                  # not a heading
                  1. not a list, see [link](x)

            """);

        Assert.Contains("1. **Fees \\& \\<terms\\> \\*now\\***\n", md, StringComparison.Ordinal);
        Assert.Contains("   \\# not a heading\\\n   1\\. not a list, see \\[link\\](x)\n", md, StringComparison.Ordinal);
    }

    public static TheoryData<DueRule, string> DueRules => new()
    {
        { new AfterStart(2, "2  Business Days after START"), "2 business days after start" },
        { new AfterStart(0, "same day"), "on the day it starts" },
        { new AfterStep("prepare-agenda", 3, "3 business days after prepare-agenda"), "3 business days after 'prepare-agenda'" },
        { new AfterStep("prepare-agenda", 1, "1 business days after prepare-agenda"), "1 business day after 'prepare-agenda'" },
        { new RelativeToAnchor("meeting-date", -1, false, "1 days before meeting-date"), "1 day before meeting-date" },
        { new RelativeToAnchor("meeting", 2, true, "2 business days after meeting"), "2 business days after meeting" },
        { new RelativeToAnchor("meeting", 0, false, "0 days after meeting"), "on meeting" },
    };

    [Theory]
    [MemberData(nameof(DueRules))]
    public void DueRuleText_DescribesEachRuleInPlainWords(DueRule rule, string expected)
    {
        Assert.Equal(expected, DueRuleText.Describe(rule));
    }

    [Fact]
    public void DueRuleText_NamesTheStepCountedFrom_WithTheNameGiven()
    {
        Assert.Equal("2 business days after 'Prepare the agenda'", DueRuleText.Describe(new AfterStep("prepare-agenda", 2, "2 business days after prepare-agenda"), _ => "Prepare the agenda"));
    }
}
