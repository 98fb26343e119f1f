using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests.Communications.Campaigns;

/// <summary>Compliance approval: never by the author, recorded with who, when and why, voided by a change.</summary>
public sealed class CampaignApprovalTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Approval_ByTheAuthor_IsRefused_EvenWhenTheyHoldCompliance_AndByAnotherReviewer_IsRecorded(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 3);
        var book = new CampaignBook(firm.Db, firm.Clock);
        var id = (await book.CreateAsync(CampaignFirm.Letter(), "rhea")).Value.Id;
        Assert.True((await book.SubmitAsync(id, "rhea")).IsSuccess);

        var byAuthor = await book.ReviewAsync(id, approve: true, null, "rhea");
        var byNonCompliance = await book.ReviewAsync(id, approve: true, null, "dan");
        var rejectWithoutReason = await book.ReviewAsync(id, approve: false, "  ", "quinn");
        firm.Clock.Advance(Duration.FromMinutes(5));
        var approved = await book.ReviewAsync(id, approve: true, "Brochure version matches the filing.", "quinn");

        Assert.Equal(ErrorKind.Forbidden, byAuthor.Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, byNonCompliance.Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, rejectWithoutReason.Error!.Kind);
        Assert.True(approved.IsSuccess, approved.Error?.Message);
        var view = (await book.FindAsync(id))!;
        Assert.Equal("approved", view.Status);
        Assert.Equal(("quinn", firm.Clock.GetCurrentInstant(), "Brochure version matches the filing."), (view.Approval!.By, view.Approval.At, view.Approval.Comment));
        Assert.Equal(["submitted", "approved"], view.Reviews.Select(r => r.Action).ToList());
        var audited = await firm.Db.AuditEvents.AsNoTracking().Where(e => e.Operation == "approve-campaign").Select(e => e.Actor).Distinct().ToListAsync();
        Assert.Equal(["quinn"], audited);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EditingAnApprovedCampaign_VoidsTheApproval_KeepsTheHistory_AndItCannotBeSentUntilApprovedAgain(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 3);
        var id = await firm.ApprovedAsync();
        var book = new CampaignBook(firm.Db, firm.Clock);

        var renamed = await book.ReviseAsync(id, CampaignFirm.Letter(name: "Form ADV 2027 (final)"), "alice");
        Assert.Equal(CampaignStatus.Approved, renamed.Value.Status);

        var changed = await book.ReviseAsync(id, CampaignFirm.Letter(name: "Form ADV 2027 (final)", body: "Dear {{ person.first_name }}, here it is."), "bob");
        var send = await new CampaignSender(firm.Db, firm.Clock).SendAsync(id, "bob");
        var byEditor = await book.ReviewAsync(id, approve: true, null, "quinn");

        Assert.Equal(CampaignStatus.Draft, changed.Value.Status);
        Assert.Equal(ErrorKind.Conflict, send.Error!.Kind);
        Assert.Equal(0, await firm.MessagesAsync(id));
        Assert.Equal(ErrorKind.Conflict, byEditor.Error!.Kind);
        var view = (await book.FindAsync(id))!;
        Assert.Null(view.Approval);
        Assert.Equal(["submitted", "approved", "voided"], view.Reviews.Select(r => r.Action).ToList());
        Assert.Equal("bob", view.Reviews[^1].By);

        Assert.True((await book.SubmitAsync(id, "bob")).IsSuccess);
        Assert.Equal(ErrorKind.Forbidden, (await book.ReviewAsync(id, approve: true, null, "bob")).Error?.Kind);
        Assert.True((await book.ReviewAsync(id, approve: true, null, "quinn")).IsSuccess);
        Assert.True((await new CampaignSender(firm.Db, firm.Clock).SendAsync(id, "bob")).IsSuccess);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Submit_WhileATemplateHasAnUnknownField_IsRefusedWithItsPlace_AndADraftIsNeverSent(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 2);
        var book = new CampaignBook(firm.Db, firm.Clock);
        var created = await book.CreateAsync(CampaignFirm.Letter(body: "Dear {{ person.first_name }},\n\nFrom {{ advisr.name }}"), "alice");
        var id = created.Value.Id;

        var submitted = await book.SubmitAsync(id, "alice");
        var sent = await new CampaignSender(firm.Db, firm.Clock).SendAsync(id, "alice");

        Assert.Equal(ErrorKind.Invalid, submitted.Error!.Kind);
        Assert.Contains("body:3:9: Unknown merge field \"advisr.name\"", submitted.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Conflict, sent.Error!.Kind);
        var problem = Assert.Single((await book.FindAsync(id))!.Problems);
        Assert.Equal(("body", 3, 9), (problem.Field, problem.Line, problem.Column));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASavedAudience_IsCopiedIntoTheCampaign_SoChangingItLaterLeavesTheApprovedAudienceAlone(StorageProvider provider)
    {
        await using var firm = await CampaignFirm.CreateAsync(provider, 6);
        var audiences = new SavedAudiences(firm.Db, firm.Clock);
        Assert.True((await audiences.SaveAsync("Top clients", ["A"], null, null, ["client"], "alice")).IsSuccess);
        var id = await firm.ApprovedAsync(CampaignFirm.Letter() with { Tiers = null, SavedAudience = "top CLIENTS" });

        Assert.True((await audiences.SaveAsync("Top clients", ["A", "B", "C"], null, null, null, "alice")).IsSuccess);
        var report = await new CampaignSender(firm.Db, firm.Clock).SendAsync(id, "alice");

        Assert.Equal(2, report.Value.Queued); // HH-00001 and HH-00003: the A households then, not the B and C ones added since

        var view = (await new CampaignBook(firm.Db, firm.Clock).FindAsync(id))!;
        Assert.Equal("Top clients", view.Audience.SavedAudience);
        Assert.Equal(["A"], view.Audience.Tiers);
    }
}
