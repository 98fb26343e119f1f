using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.Practice;
using Ensemble.Storage.Advisory;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>
/// Campaigns from first draft to approval: write and change them, submit them, and have compliance approve or reject
/// them. Input is read through <see cref="CheckAsync"/>, which names every field at fault; the writes run the same check.
/// Every change is audited under the acting person's handle. Sending is <see cref="CampaignSender"/>'s.
/// </summary>
public sealed class CampaignBook(EnsembleDb db, IClock clock)
{
    public const int DefaultLimit = 100;

    /// <summary>Checks a campaign as typed, resolving a named saved audience; the content when every field is right.</summary>
    public async Task<(CampaignContent? Content, IReadOnlyList<CampaignProblem> Problems)> CheckAsync(CampaignInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var saved = string.IsNullOrWhiteSpace(input.SavedAudience) ? null : await SavedAudiences.FindAsync(db, input.SavedAudience, cancellationToken);
        var rules = string.IsNullOrWhiteSpace(input.AlertRule) ? null : (await AdvisorySettingsStore.GetAsync(db, cancellationToken)).Framework.Rules.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        return input.Read(saved, rules);
    }

    /// <summary>The template problems of a campaign as it stands: what stops it being submitted.</summary>
    public static IReadOnlyList<CampaignProblem> Problems(Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var hasDeadline = campaign.Deadline is not null;
        return [.. MessageTemplates.Check("subject", campaign.Subject, hasDeadline), .. MessageTemplates.Check("body", campaign.Body, hasDeadline)];
    }

    public async Task<Result<Campaign>> CreateAsync(CampaignInput input, string actor, CancellationToken cancellationToken = default)
    {
        var (content, problems) = await CheckAsync(input, cancellationToken);
        if (content is null)
        {
            return Invalid(problems);
        }

        return await WriteAsync("create-campaign", actor, () =>
        {
            var campaign = new Campaign(content, actor, clock.GetCurrentInstant());
            db.Campaigns.Add(campaign);
            return Task.FromResult<Result<Campaign>>(campaign);
        }, cancellationToken);
    }

    /// <summary>Changes a campaign; a change to what is sent or to whom voids a submission or approval. With <paramref name="expectedVersion"/> it must not have changed since.</summary>
    public async Task<Result<Campaign>> ReviseAsync(CampaignId id, CampaignInput input, string actor, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var (content, problems) = await CheckAsync(input, cancellationToken);
        if (content is null)
        {
            return Invalid(problems);
        }

        return await WriteAsync("revise-campaign", actor, async () =>
        {
            var found = await LoadAsync(id, expectedVersion, cancellationToken);
            return found.IsSuccess ? found.Value.Revise(content, actor, clock.GetCurrentInstant()) : found;
        }, cancellationToken);
    }

    /// <summary>Submits a draft for approval; refused while its templates have problems.</summary>
    public Task<Result<Campaign>> SubmitAsync(CampaignId id, string actor, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync("submit-campaign", actor, async () =>
        {
            var found = await LoadAsync(id, expectedVersion, cancellationToken);
            return found.IsSuccess ? found.Value.Submit(actor, clock.GetCurrentInstant(), Problems(found.Value)) : found;
        }, cancellationToken);

    /// <summary>
    /// A compliance reviewer approves or rejects a submitted campaign. The reviewer is looked up by handle: an active
    /// member of staff holding the compliance role, who neither wrote, changed nor submitted it.
    /// </summary>
    public Task<Result<Campaign>> ReviewAsync(
        CampaignId id, bool approve, string? comment, string reviewer, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(approve ? "approve-campaign" : "reject-campaign", reviewer, async () =>
        {
            var found = await LoadAsync(id, expectedVersion, cancellationToken);
            if (!found.IsSuccess)
            {
                return found;
            }

            var staff = await db.Staff.AsNoTracking().SingleOrDefaultAsync(s => s.Handle == reviewer && s.Active, cancellationToken);
            if (staff is null)
            {
                return Error.Forbidden($"{reviewer} is not an active member of staff; a compliance reviewer must approve client communications.");
            }

            return found.Value.Review(approve, reviewer, staff.Holds(RoleKeys.Compliance), comment, clock.GetCurrentInstant());
        }, cancellationToken);

    /// <summary>One campaign with its history, template problems and delivery so far.</summary>
    public async Task<CampaignView?> FindAsync(CampaignId id, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Reviews).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return campaign is null ? null : CampaignView.Of(campaign, await new CampaignProgress(db).CountsAsync(id, cancellationToken));
    }

    /// <summary>Campaigns, most recently changed first; with <paramref name="status"/>, only those at it.</summary>
    public async Task<List<CampaignLine>> ListAsync(CampaignStatus? status = null, int limit = DefaultLimit, int offset = 0, CancellationToken cancellationToken = default)
    {
        var query = db.Campaigns.AsNoTracking();
        if (status is { } only)
        {
            query = query.Where(c => c.Status == only);
        }

        var campaigns = await query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        var ids = campaigns.Select(c => (long?)c.Id.Value).ToList();
        var messages = await db.Outbox.AsNoTracking()
            .Where(m => ids.Contains(m.CampaignId))
            .GroupBy(m => m.CampaignId)
            .Select(g => new { Campaign = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Campaign!.Value, g => g.Count, cancellationToken);
        return campaigns.Select(c => new CampaignLine(
            c.Id.Value, c.Name, c.Kind.Key(), c.Kind.Title(), c.Status.Key(), c.Status.Title(), c.Author,
            c.AudienceName is { } saved ? $"{saved}: {c.Audience.Describe()}" : c.Audience.Describe(),
            c.UpdatedAt, c.SentAt, messages.GetValueOrDefault(c.Id.Value))).ToList();
    }

    /// <summary>The campaign's version, for If-Match; null when there is none.</summary>
    public Task<int?> VersionAsync(CampaignId id, CancellationToken cancellationToken = default) =>
        db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => (int?)c.Version).SingleOrDefaultAsync(cancellationToken);

    public static Error NotFound(CampaignId id) => Error.NotFound($"There is no campaign {id}; `ensemble campaigns list` shows them.");

    private static Error Invalid(IReadOnlyList<CampaignProblem> problems) => Error.Invalid(string.Join(" ", problems.Select(p => p.ToString())));

    private async Task<Result<Campaign>> LoadAsync(CampaignId id, int? expectedVersion, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.Include(c => c.Reviews).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return NotFound(id);
        }

        if (expectedVersion is { } expected && campaign.Version != expected)
        {
            return Error.Conflict($"Campaign {id} changed since you read it (version {expected}, now {campaign.Version}); read it again and retry.");
        }

        return campaign;
    }

    // One transaction per write, queued behind SQLite's single writer. The version column refuses a write based on a
    // stale read; that is reported as a conflict rather than retried, since the person should see what changed.
    private async Task<Result<Campaign>> WriteAsync(string operation, string actor, Func<Task<Result<Campaign>>> work, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        db.ChangeTracker.Clear();
        db.Actor = actor;
        db.Operation = operation;
        try
        {
            using var turn = await WriteGate.EnterAsync(db, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            if (!result.IsSuccess)
            {
                await transaction.RollbackAsync(cancellationToken);
                return result;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("Someone changed this campaign at the same moment; read it again and retry.");
        }
        finally
        {
            db.Operation = null;
            db.ChangeTracker.Clear();
        }
    }
}
