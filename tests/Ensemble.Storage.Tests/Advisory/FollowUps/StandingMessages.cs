using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>
/// What client follow-ups need on top of the follow-up scenario: a primary member with an email address and a mailing
/// address, and a standing message for a rule written by carol and approved by omar (compliance).
/// </summary>
internal static class StandingMessages
{
    public const string Subject = "A question about your cash, {{ person.first_name }}";

    public const string Body = """
        Dear {{ person.first_name }},

        Your portfolio holds more cash than your plan calls for. Reply to this message and {{ advisor.name | default: firm.name }} will suggest how much to invest.
        """;

    /// <summary>Household <paramref name="n"/>'s primary member (with <paramref name="email"/>) and, when given, its mailing address.</summary>
    public static async Task ReachableAsync(this FirmBuilder firm, int n, string firstName, string? email, string? mailingAddress = null)
    {
        await using var db = firm.OpenAnother();
        var household = await db.Households.Include(h => h.Members).SingleAsync(h => h.Id == firm.Households[n - 1]);
        household.UpsertMember($"P-{n}", firstName, "Tester", null, Relationship.Primary, email);
        household.SetMailingAddress(mailingAddress);
        await db.SaveChangesAsync();
    }

    /// <summary>Writes, submits and approves the standing message for <paramref name="rule"/>; returns its id.</summary>
    public static async Task<CampaignId> ApproveMessageAsync(this FirmBuilder firm, string rule, string subject = Subject, string body = Body)
    {
        await using var db = firm.OpenAnother();
        if (!await db.Staff.AnyAsync(s => s.Handle == "omar"))
        {
            db.Staff.Add(new Staff("omar", "Omar", "omar@test.example", [RoleKeys.Compliance]));
            await db.SaveChangesAsync();
        }

        var book = new CampaignBook(db, firm.Clock);
        var created = await book.CreateAsync(new CampaignInput($"Follow-up: {rule}", "alert-follow-up", subject, body, AlertRule: rule), "carol");
        Assert.True(created.IsSuccess, created.Error?.Message);
        var submitted = await book.SubmitAsync(created.Value.Id, "carol");
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        var approved = await book.ReviewAsync(created.Value.Id, true, "Fine as a standing reply.", "omar");
        Assert.True(approved.IsSuccess, approved.Error?.Message);
        return created.Value.Id;
    }
}
