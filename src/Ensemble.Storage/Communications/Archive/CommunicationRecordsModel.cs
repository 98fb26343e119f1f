using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Communications.Notifications;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Communications.Archive;

/// <summary>
/// Tables of the communications record: the firm's settings, each person's email preferences, and the index the
/// Form ADV tracker and the archive's date searches read the outbox through. The retention triggers on
/// outbox_messages are in the ArchiveAndNotices migration (they are SQL, not model).
/// </summary>
internal static class CommunicationRecordsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<CommunicationSettingsRow>(b =>
        {
            b.ToTable("communication_settings");
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.AppAddress).HasMaxLength(Ensemble.Communications.Archive.CommunicationSettings.AppAddressLength);
            b.Property(r => r.Version).IsConcurrencyToken();
        });

        model.Entity<NotificationPreferences>(b =>
        {
            b.ToTable("staff_notification_preferences");
            b.HasKey(p => p.StaffId);
            b.Property(p => p.StaffId).HasConversion(id => id.Value, v => new StaffId(v)).ValueGeneratedNever();
            b.HasOne<Staff>().WithOne().HasForeignKey<NotificationPreferences>(p => p.StaffId).OnDelete(DeleteBehavior.Cascade);
        });

        // "Which Form ADV deliveries went out this year" and "what was sent between these dates" read by kind and sending time.
        model.Entity<OutboxMessage>(b => b.HasIndex(m => new { m.Kind, m.SentAt }));
    }
}
