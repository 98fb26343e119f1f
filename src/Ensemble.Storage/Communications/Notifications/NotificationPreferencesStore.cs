using Ensemble.Common;
using Ensemble.Communications.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Communications.Notifications;

/// <summary>A person's email choices as the page and the API show them.</summary>
public sealed record NotificationPreferencesView(string Handle, string Email, bool DailyDigest, bool MeetingReminders, bool AlertsInDigest)
{
    public bool HasEmail => Email.Length > 0;
}

/// <summary>
/// Reads and changes each person's <see cref="NotificationPreferences"/>. Someone without a stored row has the
/// defaults (everything on); a row is written the first time they change a choice, as an audited change.
/// </summary>
public sealed class NotificationPreferencesStore(EnsembleDb db)
{
    public async Task<NotificationPreferencesView?> GetAsync(StaffId staffId, CancellationToken cancellationToken = default)
    {
        var staff = await db.Staff.AsNoTracking().Where(s => s.Id == staffId).Select(s => new { s.Handle, s.Email }).SingleOrDefaultAsync(cancellationToken);
        if (staff is null)
        {
            return null;
        }

        var stored = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.StaffId == staffId, cancellationToken) ?? new NotificationPreferences(staffId);
        return View(staff.Handle, staff.Email, stored);
    }

    /// <summary>Applies the choices given (null leaves one as it is); a change is audited under the caller's actor.</summary>
    public async Task<Result<NotificationPreferencesView>> SetAsync(
        StaffId staffId, bool? dailyDigest, bool? meetingReminders, bool? alertsInDigest, string actor, CancellationToken cancellationToken = default)
    {
        var staff = await db.Staff.AsNoTracking().Where(s => s.Id == staffId).Select(s => new { s.Handle, s.Email }).SingleOrDefaultAsync(cancellationToken);
        if (staff is null)
        {
            return Error.NotFound("There is no such staff member.");
        }

        var row = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.StaffId == staffId, cancellationToken);
        if (row is null)
        {
            row = new NotificationPreferences(staffId);
            db.NotificationPreferences.Add(row);
        }

        if (row.Set(dailyDigest, meetingReminders, alertsInDigest) || db.Entry(row).State == EntityState.Added)
        {
            db.Actor = actor;
            db.Operation = "set-notification-preferences";
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return View(staff.Handle, staff.Email, row);
    }

    /// <summary>The stored choices of everyone who changed any, by staff id; the rest have the defaults.</summary>
    public Task<Dictionary<StaffId, NotificationPreferences>> StoredAsync(CancellationToken cancellationToken = default) =>
        db.NotificationPreferences.AsNoTracking().ToDictionaryAsync(p => p.StaffId, cancellationToken);

    private static NotificationPreferencesView View(string handle, string email, NotificationPreferences p) =>
        new(handle, email, p.DailyDigest, p.MeetingReminders, p.AlertsInDigest);
}
