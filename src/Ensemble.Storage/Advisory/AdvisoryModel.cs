using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// Tables of the advisory framework. Instants are Unix milliseconds and snooze days are day numbers, so the
/// nightly run reads and writes numbers; the same SQL filter text works on SQLite and PostgreSQL.
/// </summary>
internal static class AdvisoryModel
{
    /// <summary>Open alerts: at most one per household and rule, enforced by a partial unique index.</summary>
    public const string OpenFilter = "status <> 'Resolved'";

    /// <summary>
    /// The open alerts' types and snooze days by household: the nightly run reads every household's open alerts from
    /// this index alone (a covering index), never from the table.
    /// </summary>
    public const string OpenTypesIndex = "ix_alerts_open_types";

    /// <summary>Resolved alerts that hold back their rule until the condition clears (see <see cref="Alert.HoldsUntilCleared"/>).</summary>
    public const string HeldFilter = "holds_until_cleared";

    public static readonly ValueConverter<Instant, long> UnixMs = new(i => i.ToUnixTimeMilliseconds(), v => Instant.FromUnixTimeMilliseconds(v));

    public static readonly ValueConverter<Instant?, long?> NullableUnixMs = new(
        i => i == null ? null : i.Value.ToUnixTimeMilliseconds(),
        v => v == null ? null : Instant.FromUnixTimeMilliseconds(v.Value));

    /// <summary>A day as its day number (days since 0001-01-01), as fact sheets store dates.</summary>
    public static readonly ValueConverter<LocalDate?, int?> NullableDay = new(
        d => d == null ? null : d.Value.ToDateOnly().DayNumber,
        v => v == null ? null : LocalDate.FromDateOnly(DateOnly.FromDayNumber(v.Value)));

    private static readonly ValueConverter<HouseholdId, long> Household = new(id => id.Value, v => new HouseholdId(v));

    public static void Configure(ModelBuilder model)
    {
        model.Entity<Alert>(b =>
        {
            b.ToTable("alerts");
            b.Property(a => a.Id).HasConversion(id => id.Value, v => new AlertId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(a => a.HouseholdId).HasConversion(Household);
            b.Property(a => a.RuleKey).HasMaxLength(120);
            b.Property(a => a.VariantKey).HasMaxLength(80);
            b.Property(a => a.TypeKey).HasMaxLength(200);
            b.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(a => a.SnoozedUntil).HasConversion(NullableDay);
            b.Property(a => a.RaisedAt).HasConversion(UnixMs);
            b.Property(a => a.StatusChangedAt).HasConversion(UnixMs);
            b.Property(a => a.StatusChangedBy).HasMaxLength(60);
            b.Property(a => a.VariantChangedAt).HasConversion(NullableUnixMs);
            b.Property(a => a.ResolvedAt).HasConversion(NullableUnixMs);
            b.Property(a => a.Resolution).HasConversion<string>().HasMaxLength(30);
            b.Property(a => a.ResolutionNote).HasMaxLength(Alert.NoteLength);
            b.Property(a => a.Explanation).HasMaxLength(8000);
            b.Property(a => a.PreviousAlertId).HasConversion(id => id!.Value.Value, v => new AlertId(v));
            b.Property(a => a.HoldsUntilCleared).HasDefaultValue(false);
            b.Property(a => a.Version).IsConcurrencyToken();
            b.Ignore(a => a.IsOpen);
            b.HasOne<Household>().WithMany().HasForeignKey(a => a.HouseholdId).OnDelete(DeleteBehavior.Cascade);

            // At most one open alert per household and rule, whoever writes it (two runs racing included).
            b.HasIndex(a => new { a.HouseholdId, a.RuleKey }, "ix_alerts_open").IsUnique().HasFilter(OpenFilter).HasDatabaseName("ix_alerts_open");
            b.HasIndex(a => new { a.HouseholdId, a.TypeKey, a.SnoozedUntil }, OpenTypesIndex).HasFilter(OpenFilter).HasDatabaseName(OpenTypesIndex);
            b.HasIndex(a => a.HouseholdId, "ix_alerts_held").HasFilter(HeldFilter).HasDatabaseName("ix_alerts_held");
            b.HasIndex(a => a.HouseholdId, "ix_alerts_household_id").HasDatabaseName("ix_alerts_household_id");
        });

        model.Entity<AlertChange>(b =>
        {
            b.ToTable("alert_changes");
            b.Property(c => c.AlertId).HasConversion(id => id.Value, v => new AlertId(v));
            b.Property(c => c.At).HasConversion(UnixMs);
            b.Property(c => c.Actor).HasMaxLength(60);
            b.Property(c => c.What).HasMaxLength(30);
            b.Property(c => c.From).HasColumnName("from_status").HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.To).HasColumnName("to_status").HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.Note).HasMaxLength(Alert.NoteLength + 40);
            b.HasOne<Alert>().WithMany().HasForeignKey(c => c.AlertId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(c => c.AlertId);
        });

        model.Entity<AdvisorySettingsRow>(b =>
        {
            b.ToTable("advisory_settings");
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Version).IsConcurrencyToken();
        });

        model.Entity<AdvisoryRunRow>(b =>
        {
            b.ToTable("advisory_runs");
            b.Property(r => r.StartedAt).HasConversion(UnixMs);
            b.Property(r => r.FinishedAt).HasConversion(NullableUnixMs);
            b.Property(r => r.Actor).HasMaxLength(60);
            b.Property(r => r.Failure).HasMaxLength(2000);
        });

        model.Entity<UnevaluatedRow>(b =>
        {
            b.ToTable("could_not_evaluate");
            b.HasKey(r => new { r.HouseholdId, r.RuleKey });
            b.Property(r => r.HouseholdId).HasConversion(Household);
            b.Property(r => r.RuleKey).HasMaxLength(120);
            b.Property(r => r.Reason).HasMaxLength(500);
            b.Property(r => r.RecordedAt).HasConversion(UnixMs);
            b.HasOne<Household>().WithMany().HasForeignKey(r => r.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
