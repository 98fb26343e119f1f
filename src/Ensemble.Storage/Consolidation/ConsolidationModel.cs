using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Tables of consolidation. Values are doubles and lineage instants are Unix milliseconds, so a million
/// rows are read and compared as numbers rather than parsed text.
/// </summary>
internal static class ConsolidationModel
{
    /// <summary>Open discrepancies: the partial index that keeps counting and listing them fast.</summary>
    public const string OpenFilter = "resolved_at IS NULL";

    public static readonly ValueConverter<Instant, long> UnixMs = new(i => i.ToUnixTimeMilliseconds(), v => Instant.FromUnixTimeMilliseconds(v));

    public static readonly ValueConverter<Instant?, long?> NullableUnixMs = new(
        i => i == null ? null : i.Value.ToUnixTimeMilliseconds(),
        v => v == null ? null : Instant.FromUnixTimeMilliseconds(v.Value));

    private static readonly ValueConverter<HouseholdId, long> Household = new(id => id.Value, v => new HouseholdId(v));

    private static readonly ValueConverter<Dictionary<string, double>, string> ValueMap = new(
        m => System.Text.Json.JsonSerializer.Serialize(m, Conversions.JsonOptions),
        s => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(s, Conversions.JsonOptions) ?? new Dictionary<string, double>());

    private static readonly ValueComparer<Dictionary<string, double>> ValueMapComparer = new(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.Count == b.Count && !a.Except(b).Any()),
        m => m.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
        m => new Dictionary<string, double>(m, StringComparer.Ordinal));

    public static void Configure(ModelBuilder model)
    {
        model.Entity<DataSource>(b =>
        {
            b.ToTable("data_sources");
            b.HasKey(s => s.Key);
            b.Property(s => s.Key).HasMaxLength(40);
            b.Property(s => s.Name).HasMaxLength(200);
            b.Property(s => s.AddedAt).HasConversion(Conversions.Instant);
        });

        model.Entity<ConsolidationSettingsRow>(b =>
        {
            b.ToTable("consolidation_settings");
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Version).IsConcurrencyToken();
        });

        model.Entity<SourceImportRow>(b =>
        {
            b.ToTable("source_imports");
            b.Property(r => r.Source).HasMaxLength(40);
            b.Property(r => r.FileName).HasMaxLength(300);
            b.Property(r => r.ContentHash).HasMaxLength(64);
            b.Property(r => r.AppliedBy).HasMaxLength(60);
            b.Property(r => r.Rows).HasColumnName("row_count");
            b.Property(r => r.Values).HasColumnName("value_count");
            b.Property(r => r.Changed).HasColumnName("changed_count");
            b.Property(r => r.AppliedAt).HasConversion(Conversions.Instant);
            b.HasOne<DataSource>().WithMany().HasForeignKey(r => r.Source).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(r => new { r.Source, r.ContentHash });
        });

        model.Entity<SourceValueRow>(b =>
        {
            b.ToTable("source_values");
            b.HasKey(v => new { v.HouseholdId, v.Fact, v.Source });
            b.Property(v => v.HouseholdId).HasConversion(Household);
            b.Property(v => v.Fact).HasMaxLength(80);
            b.Property(v => v.Source).HasMaxLength(40);
            b.Property(v => v.ArrivedAt).HasConversion(UnixMs);
            b.Property(v => v.VerifiedAt).HasConversion(UnixMs);
            b.HasOne<Household>().WithMany().HasForeignKey(v => v.HouseholdId).OnDelete(DeleteBehavior.Cascade);

            // No foreign keys to data_sources and source_imports: sources and the import log are only ever added to, the
            // intake checks the source before it writes, and on PostgreSQL the two checks per row were a third of a
            // million-value import (bench/results.md, consolidation).
            b.HasIndex(v => v.Source);
        });

        model.Entity<ConsolidatedValueRow>(b =>
        {
            b.ToTable("consolidated_values");
            b.HasKey(v => new { v.HouseholdId, v.Fact });
            b.Property(v => v.HouseholdId).HasConversion(Household);
            b.Property(v => v.Fact).HasMaxLength(80);
            b.Property(v => v.Source).HasMaxLength(40);
            b.Property(v => v.ChosenBy).HasMaxLength(60);
            b.Property(v => v.ArrivedAt).HasConversion(UnixMs);
            b.Property(v => v.VerifiedAt).HasConversion(UnixMs);
            b.HasOne<Household>().WithMany().HasForeignKey(v => v.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Discrepancy>(b =>
        {
            b.ToTable("discrepancies");
            b.Property(d => d.Id).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(d => d.HouseholdId).HasConversion(Household);
            b.Property(d => d.Fact).HasMaxLength(80);
            b.Property(d => d.Values).HasColumnName("by_source").HasConversion(ValueMap, ValueMapComparer).HasMaxLength(2000);
            b.Property(d => d.DetectedAt).HasConversion(UnixMs);
            b.Property(d => d.ResolvedAt).HasConversion(NullableUnixMs);
            b.Property(d => d.ResolvedBy).HasMaxLength(60);
            b.Property(d => d.Resolution).HasMaxLength(300);
            b.Property(d => d.ChosenSource).HasMaxLength(40);
            b.Ignore(d => d.IsOpen);
            b.HasOne<Household>().WithMany().HasForeignKey(d => d.HouseholdId).OnDelete(DeleteBehavior.Cascade);

            // At most one open discrepancy per household and fact; closed ones stay as history.
            b.HasIndex(d => new { d.HouseholdId, d.Fact }).IsUnique().HasFilter(OpenFilter).HasDatabaseName("ix_discrepancies_open");
            b.HasIndex(d => d.HouseholdId);
        });

        model.Entity<FactSheetRow>(b =>
        {
            b.ToTable("fact_sheets");
            b.HasKey(s => s.HouseholdId);
            b.Property(s => s.HouseholdId).HasConversion(Household).ValueGeneratedNever();
            b.Property(s => s.ComputedAt).HasConversion(UnixMs);
            b.HasOne<Household>().WithOne().HasForeignKey<FactSheetRow>(s => s.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
