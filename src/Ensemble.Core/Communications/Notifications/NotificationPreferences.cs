using Ensemble.Common;

namespace Ensemble.Communications.Notifications;

/// <summary>
/// What one member of staff wants by email. Everything is on until they say otherwise: a person who never opened
/// the page still hears about their overdue work. Stored only once someone changes a choice.
/// </summary>
public sealed class NotificationPreferences
{
    private NotificationPreferences()
    {
    }

    public NotificationPreferences(StaffId staffId)
    {
        StaffId = staffId;
        DailyDigest = true;
        MeetingReminders = true;
        AlertsInDigest = true;
    }

    public StaffId StaffId { get; private set; }

    /// <summary>A morning email of the work due today and overdue.</summary>
    public bool DailyDigest { get; private set; }

    /// <summary>An email for each meeting reminder (a week, a day and an hour before) as it shows in the app.</summary>
    public bool MeetingReminders { get; private set; }

    /// <summary>New alerts on the households whose team the person is on, in the daily digest.</summary>
    public bool AlertsInDigest { get; private set; }

    /// <summary>Applies the choices given (null leaves one as it is); true when anything changed.</summary>
    public bool Set(bool? dailyDigest, bool? meetingReminders, bool? alertsInDigest)
    {
        var before = (DailyDigest, MeetingReminders, AlertsInDigest);
        DailyDigest = dailyDigest ?? DailyDigest;
        MeetingReminders = meetingReminders ?? MeetingReminders;
        AlertsInDigest = alertsInDigest ?? AlertsInDigest;
        return before != (DailyDigest, MeetingReminders, AlertsInDigest);
    }
}
