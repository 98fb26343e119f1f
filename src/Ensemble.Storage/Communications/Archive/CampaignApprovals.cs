using Ensemble.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>
/// The campaigns messages belong to, with their approval history (submitted, approved, rejected, voided — who, when,
/// why), for the archive's "approved by whom, when". A campaign's outbox rows carry its id in <c>CampaignId</c>; the
/// history is the campaign feature's own record (campaign_reviews), read here in one query per set of campaigns.
/// </summary>
internal static class CampaignApprovals
{
    public static async Task<Dictionary<long, CampaignRecord>> ForAsync(EnsembleDb db, IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default)
    {
        var ids = campaignIds.Distinct().Select(id => new CampaignId(id)).ToList();
        var names = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id.Value, c => c.Name, cancellationToken);
        var reviews = (await db.CampaignReviews.AsNoTracking().Where(r => ids.Contains(r.CampaignId)).ToListAsync(cancellationToken))
            .OrderBy(r => r.At).ThenBy(r => r.Id)
            .ToLookup(r => r.CampaignId.Value);

        // A campaign missing from its own table is shown as unknown, never as "not approved".
        return ids.ToDictionary(
            id => id.Value,
            id => names.TryGetValue(id.Value, out var name)
                ? new CampaignRecord(id.Value, name, true, reviews[id.Value].Select(r => new ApprovalRecord(r.By, Decision(r.Action), r.At, r.Comment)).ToList())
                : new CampaignRecord(id.Value, null, false, []));
    }

    private static string Decision(ReviewAction action) => action switch
    {
        ReviewAction.Submitted => "submitted",
        ReviewAction.Approved => "approved",
        ReviewAction.Rejected => "rejected",
        _ => "voided",
    };
}
