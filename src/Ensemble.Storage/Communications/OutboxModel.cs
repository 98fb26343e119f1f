using Ensemble.Common;
using Ensemble.Communications;
using Ensemble.Households;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Communications;

/// <summary>
/// The outbox table: one row per message and recipient, claimed by senders with a lease, kept afterwards as the
/// archive of what was sent. The unique key makes queuing idempotent; the partial index keeps claiming cheap however
/// much has been sent.
/// </summary>
internal static class OutboxModel
{
    /// <summary>Messages a sender may still pick up: waiting, or claimed by a node whose lease may have run out.</summary>
    public const string PendingFilter = "status IN ('Queued', 'Sending')";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<OutboxMessage>(b =>
        {
            b.ToTable("outbox_messages");
            b.Property(m => m.Key).HasMaxLength(300);
            b.Property(m => m.Kind).HasMaxLength(40);
            b.Property(m => m.Channel).HasConversion<string>().HasMaxLength(20);
            b.Property(m => m.HouseholdId).HasConversion(id => id!.Value.Value, v => new HouseholdId(v));
            b.Property(m => m.StaffId).HasConversion(id => id!.Value.Value, v => new StaffId(v));
            b.Property(m => m.RecipientName).HasMaxLength(300);
            b.Property(m => m.Address).HasMaxLength(1000);
            b.Property(m => m.Subject).HasMaxLength(500);
            b.Property(m => m.MessageId).HasMaxLength(200);
            b.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(m => m.QueuedAt).HasConversion(Conversions.Instant);
            b.Property(m => m.NextAttemptAt).HasConversion(Conversions.Instant);
            b.Property(m => m.ClaimedBy).HasMaxLength(100);
            b.Property(m => m.LeaseUntil).HasConversion(Conversions.NullableInstant);
            b.Property(m => m.SentAt).HasConversion(Conversions.NullableInstant);
            b.Property(m => m.DeliveredAt).HasConversion(Conversions.NullableInstant);
            b.Property(m => m.FailedAt).HasConversion(Conversions.NullableInstant);
            b.Property(m => m.LastError).HasMaxLength(1000);
            b.Property(m => m.Batch).HasMaxLength(100);
            b.Property(m => m.RetainUntil).HasConversion(Conversions.Instant);
            b.HasOne<Household>().WithMany().HasForeignKey(m => m.HouseholdId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<Staff>().WithMany().HasForeignKey(m => m.StaffId).OnDelete(DeleteBehavior.Restrict);

            b.HasIndex(m => m.Key).IsUnique();
            b.HasIndex(m => m.MessageId).IsUnique();
            b.HasIndex(m => new { m.Status, m.NextAttemptAt }, "ix_outbox_messages_pending").HasFilter(PendingFilter).HasDatabaseName("ix_outbox_messages_pending");
            b.HasIndex(m => new { m.HouseholdId, m.QueuedAt });
            b.HasIndex(m => new { m.CampaignId, m.Status });
            b.HasIndex(m => m.StaffId);
        });
    }
}
