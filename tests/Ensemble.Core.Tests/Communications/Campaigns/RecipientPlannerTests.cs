using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Campaigns;

namespace Ensemble.Tests.Communications.Campaigns;

/// <summary>Choosing each household's channel from its preferences, what it has, and do-not-contact.</summary>
public sealed class RecipientPlannerTests
{
    private static bool Valid(string address) => address.Contains('@', StringComparison.Ordinal) && !address.Contains(' ', StringComparison.Ordinal);

    private static RecipientFacts Facts(string[] channels, string? email = "ada@mail.example", string? address = "1 Main St\nSpringfield", bool doNotContact = false) =>
        new(new HouseholdId(1), "HH-1", "The Okafor Household", doNotContact, channels, address, "Ada Okafor", email);

    [Theory]
    [InlineData(new[] { "phone", "letter", "email" }, "1 Main St\nSpringfield", DeliveryChannel.Letter)]
    [InlineData(new[] { "email", "letter" }, "ada@mail.example", DeliveryChannel.Email)]
    [InlineData(new[] { "portal", "email" }, "HH-1", DeliveryChannel.Portal)]
    [InlineData(new[] { "phone", "sms" }, "ada@mail.example", DeliveryChannel.Email)]
    public void Plan_TakesTheFirstPreferredDeliveryChannel_ElseFallsBackToEmail(string[] channels, string address, DeliveryChannel expected)
    {
        var plan = RecipientPlanner.Plan(Facts(channels), Valid);

        Assert.Equal((expected, address, "Ada Okafor"), (plan.Channel!.Value, plan.Address, plan.RecipientName));
        Assert.True(plan.Deliverable);
        Assert.Empty(plan.Issues);
    }

    [Fact]
    public void Plan_WhenTheLetterRecipientHasNoAddress_SaysSoAndUsesEmail_AndWithNeitherThePortal()
    {
        var byEmail = RecipientPlanner.Plan(Facts(["letter"], address: null), Valid);
        var byPortal = RecipientPlanner.Plan(Facts(["letter", "email"], email: null, address: null), Valid);

        Assert.Equal(DeliveryChannel.Email, byEmail.Channel);
        Assert.Contains("no mailing address", Assert.Single(byEmail.Issues).Message, StringComparison.Ordinal);
        Assert.True(byEmail.Deliverable);
        Assert.Equal((DeliveryChannel.Portal, "HH-1"), (byPortal.Channel!.Value, byPortal.Address));
        Assert.Equal(2, byPortal.Issues.Count);
    }

    [Fact]
    public void Plan_AnInvalidEmailAddress_IsReportedAndNotSentTo()
    {
        var plan = RecipientPlanner.Plan(Facts(["email", "letter"], email: "ada at mail"), Valid);

        Assert.False(plan.Deliverable);
        var issue = Assert.Single(plan.Issues);
        Assert.Equal(RecipientIssueKind.InvalidAddress, issue.Kind);
        Assert.Contains("\"ada at mail\"", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DoNotContact_IsExcluded()
    {
        var plan = RecipientPlanner.Plan(Facts(["email"], doNotContact: true), Valid);

        Assert.False(plan.Deliverable);
        Assert.True(plan.IsDoNotContact);
        Assert.Null(plan.Channel);
    }
}
