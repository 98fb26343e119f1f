using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>
/// Tables of alert follow-up: one follow-up per alert (enforced by a unique index, so two runs racing cannot both
/// decide one), the points follow-ups put on meeting agendas, and the firm's follow-up settings.
/// </summary>
internal static class FollowUpModel
{
    /// <summary>Follow-ups still in play: what the runner keeps in line with alerts, processes and meetings.</summary>
    public const string OpenFilter = "status NOT IN ('Done', 'Cancelled')";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<AlertFollowUp>(b =>
        {
            b.ToTable("follow_ups");
            b.Property(f => f.AlertId).HasConversion(id => id.Value, v => new AlertId(v));
            b.Property(f => f.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v));
            b.Property(f => f.TypeKey).HasMaxLength(200);
            b.Property(f => f.Quadrant).HasConversion<string>().HasMaxLength(20);
            b.Property(f => f.Channel).HasConversion<string>().HasMaxLength(20);
            b.Property(f => f.Action).HasConversion<string>().HasMaxLength(20);
            b.Property(f => f.OwnerRole).HasMaxLength(80);
            b.Property(f => f.AssigneeId).HasConversion(id => id!.Value.Value, v => new StaffId(v));
            b.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(f => f.Reason).HasMaxLength(AlertFollowUp.ReasonLength);
            b.Property(f => f.DecidedAt).HasConversion(Conversions.Instant);
            b.Property(f => f.DecidedOn).HasConversion(Conversions.LocalDate);
            b.Property(f => f.InstanceId).HasConversion(id => id!.Value.Value, v => new InstanceId(v));
            b.Property(f => f.TouchpointId).HasConversion(id => id!.Value.Value, v => new TouchpointId(v));
            b.Property(f => f.DigestOn).HasConversion(Conversions.NullableLocalDate);
            b.Property(f => f.TaskOn).HasConversion(Conversions.NullableLocalDate);
            b.Property(f => f.TakenUpBy).HasMaxLength(60);
            b.Property(f => f.MessageKey).HasMaxLength(300);
            b.Property(f => f.ClosedAt).HasConversion(Conversions.NullableInstant);
            b.Property(f => f.ClosingNote).HasMaxLength(AlertFollowUp.ReasonLength);
            b.Property(f => f.Version).IsConcurrencyToken();
            b.Ignore(f => f.IsOpen);
            b.HasOne<Alert>().WithMany().HasForeignKey(f => f.AlertId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Household>().WithMany().HasForeignKey(f => f.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Staff>().WithMany().HasForeignKey(f => f.AssigneeId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<ProcessInstance>().WithMany().HasForeignKey(f => f.InstanceId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<Touchpoint>().WithMany().HasForeignKey(f => f.TouchpointId).OnDelete(DeleteBehavior.Restrict);

            // At most one follow-up per alert, whoever decides it.
            b.HasIndex(f => f.AlertId).IsUnique();
            b.HasIndex(f => f.HouseholdId);
            b.HasIndex(f => new { f.AssigneeId, f.Status });
            b.HasIndex(f => f.Status, "ix_follow_ups_open").HasFilter(OpenFilter).HasDatabaseName("ix_follow_ups_open");
            b.HasIndex(f => f.InstanceId);
            b.HasIndex(f => f.MessageKey);
        });

        model.Entity<AgendaItem>(b =>
        {
            b.ToTable("agenda_items");
            b.Property(a => a.TouchpointId).HasConversion(id => id.Value, v => new TouchpointId(v));
            b.Property(a => a.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v));
            b.Property(a => a.AlertId).HasConversion(id => id!.Value.Value, v => new AlertId(v));
            b.Property(a => a.Text).HasMaxLength(AgendaItem.TextLength);
            b.Property(a => a.AddedAt).HasConversion(Conversions.Instant);
            b.Property(a => a.AddedBy).HasMaxLength(60);
            b.Property(a => a.WithdrawnAt).HasConversion(Conversions.NullableInstant);
            b.Property(a => a.WithdrawnBecause).HasMaxLength(AgendaItem.TextLength);
            b.Ignore(a => a.Stands);
            b.HasOne<Touchpoint>().WithMany().HasForeignKey(a => a.TouchpointId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Household>().WithMany().HasForeignKey(a => a.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Alert>().WithMany().HasForeignKey(a => a.AlertId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(a => a.TouchpointId);
            b.HasIndex(a => a.HouseholdId);
            b.HasIndex(a => a.AlertId);
        });

        model.Entity<FollowUpSettingsRow>(b =>
        {
            b.ToTable("follow_up_settings");
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Version).IsConcurrencyToken();
        });
    }
}
