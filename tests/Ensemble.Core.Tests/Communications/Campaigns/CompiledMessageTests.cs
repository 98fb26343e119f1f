using Ensemble.Communications.Campaigns;

namespace Ensemble.Tests.Communications.Campaigns;

/// <summary>Rendering per recipient: values in the text part as written, encoded in the HTML part, missing values caught.</summary>
public sealed class CompiledMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    private static MergeValues Values(string? first = "Zoë", string? last = "O'Brien & Co", string? advisor = "Elena Marsh") =>
        new("The O'Brien & Co Household", "HH-1001", "A", first, last, "zoe@mail.example", advisor, "elena@harbor.example", "Harbor Point <Wealth>", "November 30, 2026", "April 30, 2027");

    private static CompiledMessage Compile(string subject, string body)
    {
        var (message, problems) = CompiledMessage.Compile(subject, body, hasDeadline: true, Now);
        Assert.Empty(problems);
        return message!;
    }

    [Fact]
    public void Render_WritesNamesAsTheyAreInText_AndEncodesThemInHtml()
    {
        var message = Compile("Your Form ADV, {{ person.first_name }}", "Dear {{ person.full_name }},\n\nPlease read it by {{ deadline }}.\nThank you.\n\n{{ firm.name }}");

        var rendered = message.Render(Values());

        Assert.Equal("Your Form ADV, Zoë", rendered.Subject);
        Assert.Equal("Dear Zoë O'Brien & Co,\n\nPlease read it by April 30, 2027.\nThank you.\n\nHarbor Point <Wealth>", rendered.TextBody);
        Assert.Contains("<p>Dear Zoë O&#39;Brien &amp; Co,</p>", rendered.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<p>Please read it by April 30, 2027.<br>\nThank you.</p>", rendered.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<p>Harbor Point &lt;Wealth&gt;</p>", rendered.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Wealth>", rendered.HtmlBody, StringComparison.Ordinal);
        Assert.True(rendered.IsComplete);
    }

    [Fact]
    public void Render_WhenARecipientHasNoValueForAWrittenField_NamesTheField_InsteadOfLeavingAGapSilently()
    {
        var message = Compile("Hello {{ person.first_name | upcase }}", "From {{ advisor.name }} at {{ firm.name }}");

        var rendered = message.Render(Values(first: null, advisor: ""));

        Assert.Equal(["advisor.name", "person.first_name"], rendered.MissingFields);
        Assert.False(rendered.IsComplete);
    }

    [Fact]
    public void Render_AFieldUsedOnlyInAConditionOrWithADefault_IsNotMissing()
    {
        var message = Compile(
            "Hello {{ person.first_name | default: \"there\" }}",
            "{% if person.first_name %}Dear {{ person.first_name }}{% else %}Dear client{% endif %},\n{% if advisor.name == blank %}Your team{% else %}{{ advisor.name }}{% endif %}");

        var rendered = message.Render(Values(first: null, advisor: null));

        Assert.Equal("Hello there", rendered.Subject);
        Assert.Equal("Dear client,\nYour team", rendered.TextBody);
        Assert.Empty(rendered.MissingFields);
    }

    [Fact]
    public void Compile_RefusesTemplatesWithProblems_NamingBothFields()
    {
        var (message, problems) = CompiledMessage.Compile("{{ person.nickname }}", "{% if %}", hasDeadline: false, Now);

        Assert.Null(message);
        Assert.Equal(["subject", "body"], problems.Select(p => p.Field).ToList());
    }

    [Fact]
    public void Render_ASubjectIsOneLine()
    {
        var message = Compile("  Your\n{{ household.name }}  letter ", "x");

        Assert.Equal("Your The O'Brien & Co Household letter", message.Render(Values()).Subject);
    }
}
