using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using NodaTime;

namespace Ensemble.Tests.Communications.Campaigns;

/// <summary>A standing alert follow-up message: it names a rule instead of an audience, and is in force only while approved as it stands.</summary>
public sealed class StandingMessageTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 30, 15, 0);
    private static readonly string[] Rules = ["excess-cash", "no-will"];

    private static CampaignInput Input(string? rule = "excess-cash", string body = "Dear {{ person.first_name }},") =>
        new("Excess cash reply", "alert-follow-up", "About your cash", body, AlertRule: rule);

    [Fact]
    public void Read_NeedsARuleOfTheFirmsFramework_AndRefusesAnAudienceOrADeadline()
    {
        var (content, problems) = Input().Read(null, Rules);
        Assert.Empty(problems);
        Assert.Equal((CampaignKind.AlertFollowUp, "excess-cash", true), (content!.Kind, content.AlertRule, content.Audience.IsEmpty));

        Assert.Equal(["alertRule"], Input(rule: null).Read(null, Rules).Problems.Select(p => p.Field));
        Assert.Contains("not a rule", Assert.Single(Input(rule: "excess-cahs").Read(null, Rules).Problems).Message, StringComparison.Ordinal);
        Assert.Equal(["deadline", "audience"], (Input() with { Deadline = "2027-01-31", Tiers = ["A"] }).Read(null, Rules).Problems.Select(p => p.Field));
        Assert.Equal(["alertRule"], new CampaignInput("Commentary", "commentary", "Q4", "Hello", Tiers: ["A"], AlertRule: "no-will").Read(null, Rules).Problems.Select(p => p.Field));
    }

    [Fact]
    public void ApprovedMessage_IsInForce_UntilItIsChanged_AndIsNeverSentAsAWhole()
    {
        var campaign = new Campaign(Input().Read(null, Rules).Content!, "carol", At);
        Assert.False(campaign.IsInForce);
        campaign.Submit("carol", At, []);
        campaign.Review(true, "omar", holdsCompliance: true, null, At);

        Assert.True(campaign.IsInForce);
        Assert.Equal(ErrorKind.Conflict, campaign.MarkSending("carol", At).Error?.Kind);

        campaign.Revise(Input(body: "Hello {{ person.first_name }},").Read(null, Rules).Content!, "carol", At);
        Assert.False(campaign.IsInForce);
        Assert.Equal(CampaignStatus.Draft, campaign.Status);
    }

    [Fact]
    public void Fingerprint_OfAMailing_IsUnchangedByTheRuleField_SoEarlierApprovalsStand()
    {
        var mailing = new CampaignContent("Q4", CampaignKind.Commentary, "Q4", "Hello", AudienceFilter.Empty, null, null);
        var standing = mailing with { Kind = CampaignKind.AlertFollowUp, AlertRule = "excess-cash" };

        // SHA-256 of "commentary␟Q4␟Hello␟tiers=;stages=;tags=;accounts=␟", as approvals recorded it before standing messages.
        Assert.Equal("cc2c919119a7d91ddb840962a1b48407528c209e7d591fc7ddeebf905af37f32", mailing.Hash());
        Assert.NotEqual(standing.Hash(), (standing with { AlertRule = "no-will" }).Hash());
    }
}
