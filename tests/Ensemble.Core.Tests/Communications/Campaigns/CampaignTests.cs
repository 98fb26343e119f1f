using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.ServiceModel;
using NodaTime;

namespace Ensemble.Tests.Communications.Campaigns;

/// <summary>The campaign's own rules: who may approve it, what voids an approval, what may be sent.</summary>
public sealed class CampaignTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 30, 15, 0);

    private static CampaignContent Content(string body = "Dear {{ person.first_name }},", string name = "Form ADV 2027", string? saved = null) =>
        new(name, CampaignKind.FormAdv, "Your brochure", body, new AudienceFilter([ServiceTier.A, ServiceTier.B]), saved, new LocalDate(2027, 4, 30));

    private static Campaign Submitted(string author = "ana")
    {
        var campaign = new Campaign(Content(), author, At);
        Assert.True(campaign.Submit(author, At, []).IsSuccess);
        return campaign;
    }

    [Fact]
    public void Review_ByItsAuthor_ItsSubmitter_OrSomeoneOutsideCompliance_IsForbidden()
    {
        var campaign = Submitted();

        Assert.Equal(ErrorKind.Forbidden, campaign.Review(true, "ana", holdsCompliance: true, null, At).Error?.Kind);
        Assert.Equal(ErrorKind.Forbidden, campaign.Review(true, "ben", holdsCompliance: false, null, At).Error?.Kind);
        Assert.Equal(ErrorKind.Invalid, campaign.Review(false, "cai", holdsCompliance: true, " ", At).Error?.Kind);
        Assert.True(campaign.Review(true, "cai", holdsCompliance: true, "Fine.", At).IsSuccess);
        Assert.Equal(("cai", "Fine."), (campaign.Approval!.By, campaign.Approval.Comment));
    }

    [Fact]
    public void ChangingWhatIsSent_VoidsTheApproval_WhileRenamingKeepsIt_AndOnlyTheApprovedContentCanBeSent()
    {
        var campaign = Submitted();
        campaign.Review(true, "cai", holdsCompliance: true, null, At);

        Assert.True(campaign.Revise(Content(name: "Form ADV 2027, final"), "ana", At).IsSuccess);
        Assert.Equal(CampaignStatus.Approved, campaign.Status);

        Assert.True(campaign.Revise(Content(body: "Hello {{ person.first_name }},"), "ben", At).IsSuccess);
        Assert.Equal((CampaignStatus.Draft, "ben"), (campaign.Status, campaign.LastEditedBy));
        Assert.Null(campaign.Approval);
        Assert.Equal([ReviewAction.Submitted, ReviewAction.Approved, ReviewAction.Voided], campaign.Reviews.Select(r => r.Action).ToList());
        Assert.Equal(ErrorKind.Conflict, campaign.MarkSending("ana", At).Error?.Kind);
    }

    [Fact]
    public void Submit_IsRefusedWhileTheTemplatesHaveProblems_AndASentCampaignCannotChange()
    {
        var campaign = new Campaign(Content(), "ana", At);
        Assert.Equal(ErrorKind.Invalid, campaign.Submit("ana", At, [new CampaignProblem("body", "Unknown merge field", 1, 7)]).Error?.Kind);

        campaign.Submit("ana", At, []);
        campaign.Review(true, "cai", holdsCompliance: true, null, At);
        Assert.True(campaign.MarkSending("ana", At).IsSuccess);
        Assert.True(campaign.MarkSending("ana", At + Duration.FromHours(1)).IsSuccess);

        Assert.Equal((CampaignStatus.Sent, At), (campaign.Status, campaign.SentAt!.Value));
        Assert.Equal(ErrorKind.Conflict, campaign.Revise(Content(name: "Renamed"), "ana", At).Error?.Kind);
    }

    [Fact]
    public void TheSameCriteriaTypedBackIn_KeepTheNameOfTheSavedAudienceTheyWereTakenFrom()
    {
        var campaign = new Campaign(Content(saved: "A and B clients"), "ana", At);

        campaign.Revise(Content(body: "Changed {{ person.first_name }}"), "ana", At);

        Assert.Equal("A and B clients", campaign.AudienceName);
    }
}
