using Ensemble.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Communications.Campaigns;

/// <summary>Campaigns, their approval history and the firm's saved audiences.</summary>
internal static class CampaignModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Campaign>(b =>
        {
            b.ToTable("campaigns");
            b.Property(c => c.Id).HasConversion(id => id.Value, v => new CampaignId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(c => c.Name).HasMaxLength(CampaignInput.NameLength);
            b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.Author).HasMaxLength(60);
            b.Property(c => c.LastEditedBy).HasMaxLength(60);
            b.Property(c => c.Subject).HasMaxLength(MessageTemplates.SubjectLength);
            b.Property(c => c.Audience).HasConversion(CampaignConversions.Audience, CampaignConversions.AudienceComparer).HasMaxLength(12_000);
            b.Property(c => c.AudienceName).HasMaxLength(SavedAudience.NameLength);
            b.Property(c => c.Deadline).HasConversion(Conversions.NullableLocalDate);
            b.Property(c => c.AlertRule).HasMaxLength(CampaignInput.AlertRuleLength);
            b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.CreatedAt).HasConversion(Conversions.Instant);
            b.Property(c => c.UpdatedAt).HasConversion(Conversions.Instant);
            b.Property(c => c.SentAt).HasConversion(Conversions.NullableInstant);
            b.Property(c => c.SentBy).HasMaxLength(60);
            b.Property(c => c.LastSend).HasConversion(CampaignConversions.SendReport, CampaignConversions.SendReportComparer).HasMaxLength(2000);
            b.Property(c => c.Version).IsConcurrencyToken();
            b.Ignore(c => c.Content);
            b.Ignore(c => c.Approval);
            b.HasMany(c => c.Reviews).WithOne().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(c => new { c.Status, c.UpdatedAt });
            b.HasIndex(c => new { c.Kind, c.AlertRule });
        });

        model.Entity<CampaignReview>(b =>
        {
            b.ToTable("campaign_reviews");
            b.Property(r => r.CampaignId).HasConversion(id => id.Value, v => new CampaignId(v));
            b.Property(r => r.Action).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.By).HasMaxLength(60);
            b.Property(r => r.At).HasConversion(Conversions.Instant);
            b.Property(r => r.Comment).HasMaxLength(Campaign.CommentLength);
            b.Property(r => r.ContentHash).HasMaxLength(64);
            b.HasIndex(r => new { r.CampaignId, r.At });
        });

        model.Entity<SavedAudience>(b =>
        {
            b.ToTable("saved_audiences");
            b.Property(a => a.Name).HasMaxLength(SavedAudience.NameLength);
            b.Property(a => a.Filter).HasConversion(CampaignConversions.Audience, CampaignConversions.AudienceComparer).HasMaxLength(12_000);
            b.Property(a => a.UpdatedBy).HasMaxLength(60);
            b.Property(a => a.UpdatedAt).HasConversion(Conversions.Instant);
            b.HasIndex(a => a.Name).IsUnique();
        });
    }
}
