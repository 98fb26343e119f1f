using Ensemble.Common;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Practice;

/// <summary>A notification as its owner sees it.</summary>
public sealed record NotificationView(long Id, string Kind, string Title, string? Link, Instant ShowAt, Instant? ReadAt)
{
    public bool Unread => ReadAt is null;
}

/// <summary>
/// One person's in-app notifications: only their own, and only those whose time has come (a reminder
/// planned for next week stays out of sight until then). Every query goes through the (staff, show-at) index.
/// Notifications are not firm data, so marking them read is not audited.
/// </summary>
public sealed class NotificationInbox(EnsembleDb db)
{
    /// <summary>Shown notifications, newest first; read <paramref name="take"/> + 1 to learn whether more follow.</summary>
    public Task<List<NotificationView>> ListAsync(StaffId staffId, Instant now, bool unreadOnly, int take, int skip, CancellationToken cancellationToken = default)
    {
        var query = Shown(staffId, now);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        return query
            .OrderByDescending(n => n.ShowAt)
            .ThenByDescending(n => n.Id)
            .Skip(skip)
            .Take(take)
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Link, n.ShowAt, n.ReadAt))
            .ToListAsync(cancellationToken);
    }

    public Task<int> UnreadCountAsync(StaffId staffId, Instant now, CancellationToken cancellationToken = default) =>
        Shown(staffId, now).CountAsync(n => n.ReadAt == null, cancellationToken);

    /// <summary>Marks one of the person's shown notifications read; null when it is not theirs, not shown yet, or does not exist.</summary>
    public async Task<NotificationView?> MarkReadAsync(StaffId staffId, long id, Instant now, CancellationToken cancellationToken = default)
    {
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == id && n.StaffId == staffId && n.ShowAt <= now, cancellationToken);
        if (notification is null)
        {
            return null;
        }

        notification.MarkRead(now);
        await db.SaveChangesAsync(cancellationToken);
        return new NotificationView(notification.Id, notification.Kind, notification.Title, notification.Link, notification.ShowAt, notification.ReadAt);
    }

    /// <summary>Marks every shown, unread notification of the person read; returns how many.</summary>
    public Task<int> MarkAllReadAsync(StaffId staffId, Instant now, CancellationToken cancellationToken = default)
    {
        Instant? at = now;
        return Shown(staffId, now).Where(n => n.ReadAt == null).ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, at), cancellationToken);
    }

    private IQueryable<Ensemble.Practice.StaffNotification> Shown(StaffId staffId, Instant now) =>
        db.Notifications.AsNoTracking().Where(n => n.StaffId == staffId && n.ShowAt <= now);
}
