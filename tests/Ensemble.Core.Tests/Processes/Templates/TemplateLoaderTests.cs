using Ensemble.Households;
using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

public sealed class TemplateLoaderTests
{
    [Fact]
    public void Load_WhenTemplateIsComplete_MapsEveryField()
    {
        var template = Loaded(Full);

        Assert.Equal("new-account-opening", template.Key);
        Assert.Equal("New Account Opening", template.Name);
        Assert.Equal(TemplateCategory.ServiceRequests, template.Category);
        Assert.Equal(TemplateScope.Household, template.Scope);
        Assert.Equal("Opens a new account for a client household, from paperwork to funding.", template.Description);
        Assert.Equal("client-service-associate", template.OwnerRole);
        Assert.Equal(["meeting"], template.Anchors);
        Assert.Equal(
            [
                new ManualTrigger(),
                new EventTrigger(EventKind.HouseholdBecameClient, null),
                new EventTrigger(EventKind.ProcessCompleted, "sales-introduction"),
                new PeriodicTrigger(Cadence.Quarterly, null, 5, 2, MissedRunPolicy.CatchUp, 15, OverlapPolicy.Allow, PeriodicAudience.AllClients),
                new PeriodicTrigger(Cadence.Cron, "0 9 * * 1", 1, 1, MissedRunPolicy.Skip, 0, OverlapPolicy.CancelPrevious, PeriodicAudience.AllClients),
            ],
            template.Triggers);

        Assert.Equal(3, template.Steps.Count);
        var prepare = template.Steps[0];
        Assert.Equal("prepare-forms", prepare.Key);
        Assert.Equal("Prepare the application", prepare.Title);
        Assert.Equal("client-service-associate", prepare.Role);
        Assert.Equal("Pre-fill the custodian's application from the household record.\nFlag anything missing.", prepare.Instructions);
        Assert.Equal(30, prepare.EstimatedMinutes);
        Assert.Equal(new AfterStart(2, "2 business days after start"), prepare.Due);
        Assert.Empty(prepare.After);
        Assert.Null(prepare.Condition);
        Assert.Equal(["Application", "Transfer form"], prepare.Checklist);
        Assert.False(prepare.Skippable);

        var collect = template.Steps[1];
        Assert.Equal(15, collect.EstimatedMinutes);
        Assert.Equal(new AfterStep("prepare-forms", 3, "3 business days after prepare-forms"), collect.Due);
        Assert.Equal(["prepare-forms"], collect.After);
        Assert.Equal("investable_assets >= 1000000 and has_account('ira')", collect.Condition!.Text);
        Assert.True(collect.Skippable);
        Assert.Equal("", collect.Instructions);
        Assert.Empty(collect.Checklist);

        var review = template.Steps[2];
        Assert.Equal("Review: the new account", review.Title);
        Assert.Equal(new RelativeToAnchor("meeting", -2, false, "2 days before meeting"), review.Due);
        Assert.Equal(["collect-forms"], review.After);
    }

    [Fact]
    public void Load_WhenOptionalFieldsAreLeftOut_UsesDefaults()
    {
        var template = Loaded(Header + """
              - key: only
                title: Only step
                role: paraplanner

            """);

        Assert.Equal(TemplateScope.Household, template.Scope);
        Assert.Empty(template.Anchors);
        Assert.Equal([new ManualTrigger()], template.Triggers);
        var step = Assert.Single(template.Steps);
        Assert.Equal(15, step.EstimatedMinutes);
        Assert.Null(step.Due);
        Assert.Null(step.Condition);
        Assert.False(step.Skippable);
    }

    [Fact]
    public void Load_WhenConditionLoads_EvaluatesAgainstFacts()
    {
        var condition = Loaded(Full).Steps[1].Condition!;
        var facts = HouseholdFacts.None with { InvestableAssets = 2_000_000m, AccountTypes = new HashSet<string> { "ira" } };

        Assert.True(condition.IsMetBy(facts));
        Assert.False(condition.IsMetBy(facts with { AccountTypes = new HashSet<string>() }));
    }

    [Fact]
    public void Load_WhenDependencyNamesMissingStep_ReportsLineAndColumn()
    {
        var result = LoadSteps("""
              - key: collect-documents
                title: Collect
                role: paraplanner
              - key: send-forms
                title: Send
                role: paraplanner
                after: [collect-documnets]

            """);

        var error = AssertError(result, 13, 13, "step \"send-forms\" waits for \"collect-documnets\", which is not a step of this template");
        Assert.Contains("did you mean \"collect-documents\"?", error.Message, StringComparison.Ordinal);
        Assert.Equal("test.yaml:13:13: " + error.Message, error.ToString());
    }

    [Fact]
    public void Load_WhenAfterIsASingleString_AcceptsIt()
    {
        var template = Loaded(Header + """
              - key: a
                title: A
                role: paraplanner
              - key: b
                title: B
                role: paraplanner
                after: a

            """);

        Assert.Equal(["a"], template.Steps[1].After);
    }

    [Fact]
    public void Load_WhenStepKeyRepeats_PointsAtTheSecond()
    {
        var result = LoadSteps("""
              - key: review
                title: A
                role: paraplanner
              - key: review
                title: B
                role: paraplanner

            """);

        var error = AssertError(result, 10, 10, "duplicate step key \"review\"");
        Assert.Contains("first used on line 7", error.Message, StringComparison.Ordinal);
        Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void Load_WhenRoleIsUnknown_NamesKnownRolesAndSuggestsTheNearest()
    {
        var result = LoadSteps("""
              - key: a
                title: A
                role: paraplaner

            """);

        var error = AssertError(result, 9, 11, "role \"paraplaner\" is not a role of this firm (known roles: associate-advisor, client-care-coordinator,");
        Assert.EndsWith("did you mean \"paraplanner\"?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenOwnerIsUnknown_ReportsIt()
    {
        var result = Load(Header.Replace("owner: paraplanner", "owner: boss", StringComparison.Ordinal) + """
              - key: a
                title: A
                role: paraplanner

            """);

        AssertError(result, 5, 8, "role \"boss\" is not a role of this firm");
    }

    [Fact]
    public void Load_WhenFieldNameIsMisspelt_SuggestsTheRightOne()
    {
        var result = LoadSteps("""
              - key: a
                titel: A
                role: paraplanner

            """);

        AssertError(result, 8, 5, "unknown field \"titel\" in step \"a\"; did you mean \"title\"?");
        AssertError(result, 7, 5, "step \"a\" has no \"title\"");
    }

    [Fact]
    public void Load_WhenTopLevelFieldIsUnknown_ListsTheFields()
    {
        var result = Load("colour: blue\n" + Header + "  - key: a\n    title: A\n    role: paraplanner\n");

        AssertError(result, 1, 1, "unknown field \"colour\" in the template (fields: key, name, category, scope, description, owner, anchors, triggers, steps)");
    }

    [Fact]
    public void Load_WhenRequiredFieldsAreMissing_ReportsEachAtTheMapping()
    {
        var result = Load("""
            key: x
            steps:
              - key: a

            """);

        AssertError(result, 1, 1, "the template has no \"name\"");
        AssertError(result, 1, 1, "the template has no \"category\"");
        AssertError(result, 1, 1, "the template has no \"description\"");
        AssertError(result, 1, 1, "the template has no \"owner\"");
        AssertError(result, 3, 5, "step \"a\" has no \"title\"");
        AssertError(result, 3, 5, "step \"a\" has no \"role\"");
        Assert.Equal(6, result.Diagnostics.Count);
    }

    [Fact]
    public void Load_WhenRequiredFieldIsEmpty_PointsAtItsName()
    {
        var result = Load(Header.Replace("name: Test process", "name:", StringComparison.Ordinal) + "  - key: a\n    title: A\n    role: paraplanner\n");

        AssertError(result, 2, 1, "\"name\" in the template is empty");
    }

    [Fact]
    public void Load_WhenValuesHaveTheWrongType_ReportsEach()
    {
        var result = LoadSteps("""
              - key: a
                title: [not, text]
                role: paraplanner
                minutes: twenty
                skippable: maybe
                after: {a: b}
                checklist: [ok, [nested]]

            """);

        AssertError(result, 8, 12, "\"title\" in step \"a\" must be text, not a list");
        AssertError(result, 10, 14, "\"minutes\" in step \"a\" must be a whole number from 1 to 4800, not \"twenty\"");
        AssertError(result, 11, 16, "\"skippable\" in step \"a\" must be true or false, not \"maybe\"");
        AssertError(result, 12, 12, "\"after\" in step \"a\" must be a list such as [a, b], not a set of fields");
        AssertError(result, 13, 21, "each entry of \"checklist\" in step \"a\" must be a single value, not a list");
        Assert.Equal(5, result.Diagnostics.Count);
    }

    [Fact]
    public void Load_WhenMinutesOutOfRange_ReportsTheRange()
    {
        var result = LoadSteps("  - key: a\n    title: A\n    role: paraplanner\n    minutes: 5000\n");

        AssertError(result, 10, 14, "must be a whole number from 1 to 4800, not \"5000\"");
    }

    [Fact]
    public void Load_WhenCategoryIsWrong_ListsTheCategoriesAndSuggests()
    {
        var result = Load(Header.Replace("category: sales", "category: service-request", StringComparison.Ordinal) + "  - key: a\n    title: A\n    role: paraplanner\n");

        AssertError(result, 3, 11, "category \"service-request\" is not one of: client-management, service-requests, sales, onboarding, practice-management, marketing; did you mean \"service-requests\"?");
    }

    [Fact]
    public void Load_WhenKeysAreMalformed_ExplainsTheFormat()
    {
        var result = Load(Header.Replace("key: test-process", "key: Test Process", StringComparison.Ordinal) + """
              - key: Collect_Forms
                title: A
                role: paraplanner
              - key: start
                title: B
                role: paraplanner

            """);

        AssertError(result, 1, 6, "template key \"Test Process\" must use only lowercase letters, digits and hyphens");
        AssertError(result, 7, 10, "step key \"Collect_Forms\" must use only lowercase letters, digits and hyphens");
        AssertError(result, 10, 10, "\"start\" cannot be a step key");
    }

    [Fact]
    public void Load_WhenStepsAreMissingOrEmpty_SaysSo()
    {
        AssertError(Load(Header), 6, 1, "\"steps\" in the template is empty");
        AssertError(Load(Header.Replace("steps:\n", "", StringComparison.Ordinal)), 1, 1, "the template has no \"steps\"");
        AssertError(Load(Header + "  []\n"), 7, 3, "\"steps\" is empty; a template needs at least one step");
        AssertError(Load(Header + "  just text\n"), 7, 3, "\"steps\" must be a list of steps");
    }

    [Fact]
    public void Load_WhenManyThingsAreWrong_ReportsThemAllInFileOrder()
    {
        var result = LoadSteps("""
              - key: a
                title: A
                role: nobody
                after: [ghost]
                due: sometime
                when: net_wrth > 1

            """);

        Assert.Equal(4, result.Diagnostics.Count);
        Assert.Equal([9, 10, 11, 12], result.Diagnostics.Select(d => d.Line));
    }

    [Fact]
    public void Load_WhenYamlIsMalformed_ReportsSyntaxErrorWithPosition()
    {
        var result = Load("key: a\nname: [unclosed\ncategory: sales\n");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics);
        Assert.Contains("the YAML cannot be read", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2);
    }

    [Fact]
    public void Load_WhenFieldIsRepeated_SaysWhich()
    {
        var result = Load("key: a\nkey: b\n");

        AssertError(result, 2, 1, "the field \"key\" appears twice in the same block");
    }

    [Fact]
    public void Load_WhenFileIsEmpty_SaysSo()
    {
        AssertError(Load(""), 1, 1, "the file is empty");
        AssertError(Load("# only a comment\n"), 1, 1, "the file is empty");
    }

    [Fact]
    public void Load_WhenRootIsNotAMapping_SaysWhatATemplateIs()
    {
        AssertError(Load("- a\n- b\n"), 1, 1, "a template must be a set of fields");
    }

    [Fact]
    public void Load_WhenFileHoldsTwoDocuments_PointsAtTheSecond()
    {
        var yaml = Header + "  - key: a\n    title: A\n    role: paraplanner\n";
        var result = Load(yaml + "---\n" + yaml);

        AssertError(result, 11, 1, "a second template starts here");
    }

    [Fact]
    public void Load_WhenYamlUsesAliases_RejectsThem()
    {
        var result = LoadSteps("  - key: a\n    title: &t A\n    role: paraplanner\n  - key: b\n    title: *t\n    role: paraplanner\n");

        AssertError(result, 11, 12, "YAML aliases (*t) are not supported");
    }

    [Fact]
    public void Load_WhenYamlNestsTooDeep_ReportsInsteadOfOverflowing()
    {
        var yaml = "key: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var error = Assert.Single(Load(yaml).Diagnostics);
        Assert.Contains("nests more than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenAnchorsAreInvalid_ReportsEach()
    {
        var result = Load(Header.Replace("steps:", "anchors: [meeting, meeting, start, Big, a]\nsteps:", StringComparison.Ordinal) + """
              - key: a
                title: A
                role: paraplanner

            """);

        AssertError(result, 6, 20, "anchor \"meeting\" is listed twice");
        AssertError(result, 6, 29, "\"start\" cannot be an anchor");
        AssertError(result, 6, 36, "anchor \"Big\" must use only lowercase letters");
        AssertError(result, 6, 41, "anchor \"a\" has the same name as a step");
    }
}
