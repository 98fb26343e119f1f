using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>
/// Reading the archive: every outbox row is the record of one message to one recipient, as it was sent. Searches go
/// newest first by id (the primary key, so paging stays cheap however large the archive grows) and are narrowed to
/// what the caller may read before anything else.
/// </summary>
public sealed class OutboxArchive(EnsembleDb db)
{
    /// <summary>Messages matching the filter within the scope, newest first; read <paramref name="take"/> + 1 to learn whether more follow.</summary>
    public async Task<List<ArchiveLine>> SearchAsync(ArchiveFilter filter, ArchiveScope scope, int take, int skip, CancellationToken cancellationToken = default)
    {
        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        var page = await Filtered(filter, scope, zone).OrderByDescending(m => m.Id).Skip(skip).Take(take)
            .Select(m => new Row(m.Id, m.Kind, m.Channel, m.Status, m.HouseholdId, m.StaffId, m.RecipientName, m.Address, m.Subject, m.CampaignId, m.QueuedAt, m.SentAt))
            .ToListAsync(cancellationToken);
        return await LinesAsync(page, cancellationToken);
    }

    /// <summary>How many messages match (for the "N messages" a page shows).</summary>
    public async Task<int> CountAsync(ArchiveFilter filter, ArchiveScope scope, CancellationToken cancellationToken = default)
    {
        var zone = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Zone;
        return await Filtered(filter, scope, zone).CountAsync(cancellationToken);
    }

    /// <summary>One message with its campaign's approvals, or null when it does not exist or is outside the scope.</summary>
    public async Task<ArchivedMessage?> FindAsync(long id, ArchiveScope scope, CancellationToken cancellationToken = default)
    {
        var m = await Scoped(db.Outbox.AsNoTracking().Where(m => m.Id == id), scope).SingleOrDefaultAsync(cancellationToken);
        if (m is null)
        {
            return null;
        }

        var household = m.HouseholdId is { } h
            ? await db.Households.AsNoTracking().Where(x => x.Id == h).Select(x => new { x.Key, x.Name }).SingleOrDefaultAsync(cancellationToken)
            : null;
        var staff = m.StaffId is { } s ? await db.Staff.AsNoTracking().Where(x => x.Id == s).Select(x => x.Handle).SingleOrDefaultAsync(cancellationToken) : null;
        var campaign = m.CampaignId is { } c ? (await CampaignApprovals.ForAsync(db, [c], cancellationToken)).GetValueOrDefault(c) ?? new CampaignRecord(c, null, false, []) : null;
        return new ArchivedMessage(
            m.Id, m.Key, m.Kind, m.Channel.Name(), m.Status.Name(), household?.Key, household?.Name, staff, m.RecipientName, m.Address, m.Subject, m.TextBody, m.HtmlBody,
            m.MessageId, m.Attempts, m.QueuedAt, m.SentAt, m.DeliveredAt, m.FailedAt, m.LastError, m.Batch, m.RetainUntil, campaign);
    }

    /// <summary>The stored row of one message and its household's key, or nulls when it does not exist or is outside the scope.</summary>
    public async Task<(OutboxMessage? Message, string? HouseholdKey)> FindRecordAsync(long id, ArchiveScope scope, CancellationToken cancellationToken = default)
    {
        var message = await Scoped(db.Outbox.AsNoTracking().Where(m => m.Id == id), scope).SingleOrDefaultAsync(cancellationToken);
        var key = message?.HouseholdId is { } h ? await db.Households.AsNoTracking().Where(x => x.Id == h).Select(x => x.Key).SingleOrDefaultAsync(cancellationToken) : null;
        return (message, key);
    }

    /// <summary>Every message of a household, oldest first, for an export.</summary>
    public Task<List<OutboxMessage>> OfHouseholdAsync(HouseholdId household, CancellationToken cancellationToken = default) =>
        db.Outbox.AsNoTracking().Where(m => m.HouseholdId == household).OrderBy(m => m.Id).ToListAsync(cancellationToken);

    /// <summary>The kinds of message in the archive, for a filter's choices.</summary>
    public Task<List<string>> KindsAsync(CancellationToken cancellationToken = default) =>
        db.Outbox.AsNoTracking().Select(m => m.Kind).Distinct().OrderBy(k => k).Take(200).ToListAsync(cancellationToken);

    private IQueryable<OutboxMessage> Filtered(ArchiveFilter filter, ArchiveScope scope, DateTimeZone zone)
    {
        var query = Scoped(db.Outbox.AsNoTracking(), scope);
        if (filter.Household is { } household)
        {
            query = query.Where(m => m.HouseholdId == household);
        }

        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            var kind = filter.Kind.Trim();
            query = query.Where(m => m.Kind == kind);
        }

        if (filter.Channel is { } channel)
        {
            query = query.Where(m => m.Channel == channel);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(m => m.Status == status);
        }

        if (filter.CampaignId is { } campaign)
        {
            query = query.Where(m => m.CampaignId == campaign);
        }

        // A message is dated by when it went out; one that never did (queued, failed) by when it was queued.
        if (filter.From is { } from)
        {
            var start = from.AtStartOfDayInZone(zone).ToInstant();
            query = query.Where(m => m.SentAt >= start || (m.SentAt == null && m.QueuedAt >= start));
        }

        if (filter.To is { } to)
        {
            var end = to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
            query = query.Where(m => m.SentAt < end || (m.SentAt == null && m.QueuedAt < end));
        }

        if (Pattern(filter.Text) is { } pattern)
        {
            // lower() on both sides: SQLite's LIKE ignores ASCII case only, PostgreSQL's not at all.
            query = query.Where(m =>
                EF.Functions.Like(m.Subject.ToLower(), pattern, "\\")
                || EF.Functions.Like(m.TextBody.ToLower(), pattern, "\\")
                || EF.Functions.Like(m.RecipientName.ToLower(), pattern, "\\")
                || EF.Functions.Like(m.Address.ToLower(), pattern, "\\"));
        }

        return query;
    }

    private static IQueryable<OutboxMessage> Scoped(IQueryable<OutboxMessage> query, ArchiveScope scope)
    {
        if (scope.IsWholeFirm)
        {
            return query;
        }

        // Nullable ids, matching the column's converter: Npgsql binds the list as an array of that type.
        var households = scope.Households!.Select(h => (HouseholdId?)new HouseholdId(h)).ToList();
        if (scope.Self is not { } self)
        {
            return query.Where(m => households.Contains(m.HouseholdId));
        }

        StaffId? me = self;
        return query.Where(m => households.Contains(m.HouseholdId) || m.StaffId == me);
    }

    /// <summary>A LIKE pattern for the words typed, lower-cased with the wildcards escaped; null for no text.</summary>
    internal static string? Pattern(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var escaped = text.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        return $"%{escaped}%";
    }

    private async Task<List<ArchiveLine>> LinesAsync(List<Row> page, CancellationToken cancellationToken)
    {
        var householdIds = page.Where(m => m.HouseholdId is not null).Select(m => m.HouseholdId!.Value).Distinct().ToList();
        var staffIds = page.Where(m => m.StaffId is not null).Select(m => m.StaffId!.Value).Distinct().ToList();
        var households = householdIds.Count == 0
            ? []
            : await db.Households.AsNoTracking().Where(h => householdIds.Contains(h.Id)).Select(h => new { h.Id, h.Key, h.Name }).ToDictionaryAsync(h => h.Id, cancellationToken);
        var staff = staffIds.Count == 0
            ? []
            : await db.Staff.AsNoTracking().Where(s => staffIds.Contains(s.Id)).Select(s => new { s.Id, s.Handle }).ToDictionaryAsync(s => s.Id, s => s.Handle, cancellationToken);
        return page.Select(m =>
        {
            var household = m.HouseholdId is { } h ? households.GetValueOrDefault(h) : null;
            return new ArchiveLine(
                m.Id, m.Kind, m.Channel.Name(), m.Status.Name(), household?.Key, household?.Name, m.StaffId is { } s ? staff.GetValueOrDefault(s) : null,
                m.RecipientName, m.Address, m.Subject, m.CampaignId, m.QueuedAt, m.SentAt);
        }).ToList();
    }

    /// <summary>What a list needs of a row: the bodies stay in the database.</summary>
    private sealed record Row(
        long Id, string Kind, DeliveryChannel Channel, DeliveryStatus Status, HouseholdId? HouseholdId, StaffId? StaffId, string RecipientName, string Address,
        string Subject, long? CampaignId, Instant QueuedAt, Instant? SentAt);
}
