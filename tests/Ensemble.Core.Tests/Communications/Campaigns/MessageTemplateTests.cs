using Ensemble.Communications.Campaigns;

namespace Ensemble.Tests.Communications.Campaigns;

/// <summary>Checking a message template before it can be submitted: syntax errors and unknown fields are named with their place.</summary>
public sealed class MessageTemplateTests
{
    [Fact]
    public void Check_WhenATagIsNotClosed_ReportsTheFieldLineAndColumn()
    {
        var problems = MessageTemplates.Check("body", "Dear {{ person.first_name }},\n\nYour brochure {{ household.name \nis attached.", hasDeadline: false);

        var problem = Assert.Single(problems);
        Assert.Equal("body", problem.Field);
        Assert.Equal(3, problem.Line);
        Assert.True(problem.Column > 1, problem.ToString());
        Assert.Contains("'}}' was expected", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("body:3:", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WhenAnIfIsNeverEnded_ReportsWhereTheEndWasExpected()
    {
        var problem = Assert.Single(MessageTemplates.Check("subject", "{% if person.first_name %}Hello", hasDeadline: false));

        Assert.Equal(("subject", 1), (problem.Field, problem.Line));
        Assert.Contains("endif", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ListsEachUnknownMergeFieldByName_AtItsLineAndColumn_WithTheFieldItProbablyMeant()
    {
        var problems = MessageTemplates.Check("body", "Dear {{ person.frist_name }},\nfrom {{ advisor.name }}\n  {{ houshold.name | upcase }}", hasDeadline: false);

        Assert.Equal(2, problems.Count);
        Assert.Equal((1, 9), (problems[0].Line, problems[0].Column));
        Assert.Contains("\"person.frist_name\"", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean person.first_name?", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal((3, 6), (problems[1].Line, problems[1].Column));
        Assert.Contains("\"houshold.name\"", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FindsUnknownFieldsInConditionsAndLoopsToo_ButAcceptsTheTemplatesOwnVariables()
    {
        var source = """
            {% assign greeting = "Dear" %}{% capture who %}{{ person.full_name }}{% endcapture %}
            {{ greeting }} {{ who }},
            {% if household.tier == "A" and person.salutation %}As one of our closest clients{% endif %}
            {% for word in household.tags %}{{ word }} {{ forloop.index }}{% endfor %}
            """;

        var problems = MessageTemplates.Check("body", source, hasDeadline: false);

        Assert.Equal(["\"person.salutation\"", "\"household.tags\""], problems.Select(p => p.Message.Split(' ')[3].TrimEnd('.')).ToList());
        Assert.Equal([3, 4], problems.Select(p => p.Line ?? 0).ToList());
    }

    [Fact]
    public void Check_RefusesUnknownFilters_IncludeTags_AndADeadlineTheCampaignDoesNotHave()
    {
        var problems = MessageTemplates.Check("body", "{{ today | shout }}\n{% include 'footer' %}\nBy {{ deadline }}", hasDeadline: false);

        Assert.Equal(3, problems.Count);
        Assert.Contains("no filter \"shout\"", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal((2, 1), (problems[1].Line, problems[1].Column));
        Assert.Contains("include", problems[1].Message, StringComparison.Ordinal);
        Assert.Equal((3, 7), (problems[2].Line, problems[2].Column));
        Assert.Empty(MessageTemplates.Check("body", "By {{ deadline }}", hasDeadline: true));
    }

    [Fact]
    public void Check_AcceptsEveryDocumentedMergeField()
    {
        var source = string.Join("\n", MergeFields.All.Select(f => $"{{{{ {f.Path} }}}}"));

        Assert.Empty(MessageTemplates.Check("body", source, hasDeadline: true));
    }
}
