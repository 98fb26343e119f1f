using Ensemble.Common;
using Ensemble.Households;
using Ensemble.Opportunities;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Ensemble.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ensemble.Storage;

/// <summary>Table layout and indexes. Kept provider-neutral: the same SQL filter text works on SQLite and PostgreSQL.</summary>
internal static class EnsembleModel
{
    /// <summary>Open work: the partial indexes that keep work lists fast however much history piles up.</summary>
    public const string OpenFilter = "status IN ('Open', 'InProgress')";

    // Keys are typed ids stored as integers. SQLite's convention cannot see through the converter and
    // would mark them differently from the migration snapshot (dotnet/efcore#30699), so AUTOINCREMENT
    // is stated; PostgreSQL ignores the SQLite annotation and uses identity columns.
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Firm>(b =>
        {
            b.ToTable("firms");
            b.Property(f => f.Name).HasMaxLength(200);
            b.Property(f => f.TimeZoneId).HasMaxLength(100);
            b.Property(f => f.WeekendDays).HasConversion(Conversions.DayList, Conversions.ListComparer<NodaTime.IsoDayOfWeek>());
            b.Property(f => f.ExtraHolidays).HasConversion(Conversions.DateList, Conversions.ListComparer<NodaTime.LocalDate>());
            b.Ignore(f => f.Zone);
            b.Ignore(f => f.Calendar);
        });

        model.Entity<Role>(b =>
        {
            b.ToTable("roles");
            b.HasKey(r => r.Key);
            b.Property(r => r.Key).HasMaxLength(80);
            b.Property(r => r.Name).HasMaxLength(120);
            b.Property(r => r.Scope).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.SeesWholeFirm).HasDefaultValue(false);
        });

        model.Entity<Staff>(b =>
        {
            b.ToTable("staff");
            b.Property(s => s.Id).HasConversion(id => id.Value, v => new StaffId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.HasIndex(s => s.Handle).IsUnique();
            b.Property(s => s.Handle).HasMaxLength(60);
            b.Property(s => s.Name).HasMaxLength(200);
            b.Property(s => s.Email).HasMaxLength(320);
            b.Property(s => s.Roles).HasConversion(Conversions.StringList, Conversions.StringListComparer);
            b.Property(s => s.Absences).HasConversion(AbsenceConversion.Converter, Conversions.ListComparer<Absence>());
        });

        model.Entity<TeamAssignment>(b =>
        {
            b.ToTable("team_assignments");
            b.Property(a => a.HouseholdId).HasConversion(id => id!.Value.Value, v => new HouseholdId(v));
            b.Property(a => a.StaffId).HasConversion(id => id.Value, v => new StaffId(v));
            b.Property(a => a.RoleKey).HasMaxLength(80);
            b.Property(a => a.Backups).HasConversion(Conversions.StaffIdList, Conversions.ListComparer<StaffId>());
            b.HasOne<Household>().WithMany().HasForeignKey(a => a.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Staff>().WithMany().HasForeignKey(a => a.StaffId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<Role>().WithMany().HasForeignKey(a => a.RoleKey).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(a => new { a.HouseholdId, a.RoleKey }).IsUnique();
            b.HasIndex(a => a.RoleKey).IsUnique().HasFilter("household_id IS NULL").HasDatabaseName("ix_team_assignments_firm_role");
            b.HasIndex(a => a.StaffId);
            b.Ignore(a => a.IsFirmLevel);
        });

        model.Entity<Household>(b =>
        {
            b.ToTable("households");
            b.Property(h => h.Id).HasConversion(id => id.Value, v => new HouseholdId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.HasIndex(h => h.Key).IsUnique();
            b.Property(h => h.Key).HasMaxLength(100);
            b.Property(h => h.Name).HasMaxLength(300);
            b.Property(h => h.Stage).HasConversion<string>().HasMaxLength(20);
            b.Property(h => h.PreferredChannels).HasConversion(Conversions.StringList, Conversions.StringListComparer);
            b.Property(h => h.Tags).HasConversion(Conversions.StringList, Conversions.StringListComparer);
            b.Property(h => h.MarriedOn).HasConversion(Conversions.NullableLocalDate);
            b.Property(h => h.MailingAddress).HasMaxLength(500);
            b.Property(h => h.TrustedAdvisors).HasConversion(Conversions.Json<TrustedAdvisor>(), Conversions.ListComparer<TrustedAdvisor>());
            b.ComplexProperty(h => h.Stated, c =>
            {
                c.Property(s => s.NetWorth).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
                c.Property(s => s.InvestableAssets).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
                c.Property(s => s.HouseholdIncome).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
                c.Property(s => s.InitialRevenue).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
                c.Property(s => s.RecurringRevenue).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
            });
            b.HasMany(h => h.Members).WithOne().HasForeignKey("HouseholdId").OnDelete(DeleteBehavior.Cascade);
            b.HasMany(h => h.Accounts).WithOne().HasForeignKey("HouseholdId").OnDelete(DeleteBehavior.Cascade);
            b.HasMany(h => h.Policies).WithOne().HasForeignKey("HouseholdId").OnDelete(DeleteBehavior.Cascade);
            b.Ignore(h => h.InvestableAssets);
            b.Ignore(h => h.Products);
            b.Ignore(h => h.PrimaryMember);
        });

        model.Entity<Member>(b =>
        {
            b.ToTable("members");
            HouseholdChild(b);
            b.Property(m => m.BirthDate).HasConversion(Conversions.NullableLocalDate);
            b.Property(m => m.Relationship).HasConversion<string>().HasMaxLength(20);
            b.Ignore(m => m.FullName);
        });

        model.Entity<Account>(b =>
        {
            b.ToTable("accounts");
            HouseholdChild(b);
            b.Property(a => a.Value).HasConversion(Conversions.Money).HasPrecision(18, 2);
            b.Property(a => a.OpenedOn).HasConversion(Conversions.NullableLocalDate);
        });

        model.Entity<Policy>(b =>
        {
            b.ToTable("policies");
            HouseholdChild(b);
            b.Property(p => p.Coverage).HasConversion(Conversions.Money).HasPrecision(18, 2);
            b.Property(p => p.AnnualPremium).HasConversion(Conversions.Money).HasPrecision(18, 2);
        });

        model.Entity<TemplateVersion>(b =>
        {
            b.ToTable("template_versions");
            b.Property(v => v.Id).HasConversion(id => id.Value, v => new TemplateVersionId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.HasIndex(v => new { v.Key, v.Number }).IsUnique();
            b.Property(v => v.Key).HasMaxLength(100);
            b.Property(v => v.Category).HasConversion<string>().HasMaxLength(40);
            b.Property(v => v.CreatedAt).HasConversion(Conversions.Instant);
        });

        model.Entity<ProcessInstance>(b =>
        {
            b.ToTable("process_instances");
            b.Property(i => i.Id).HasConversion(id => id.Value, v => new InstanceId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(i => i.TemplateVersionId).HasConversion(id => id.Value, v => new TemplateVersionId(v));
            b.Property(i => i.HouseholdId).HasConversion(id => id!.Value.Value, v => new HouseholdId(v));
            b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(i => i.Anchors).HasConversion(Conversions.DateMap, Conversions.DateMapComparer);
            b.Property(i => i.StartedAt).HasConversion(Conversions.Instant);
            b.Property(i => i.StartedOn).HasConversion(Conversions.LocalDate);
            b.Property(i => i.EndedAt).HasConversion(Conversions.NullableInstant);
            b.Property(i => i.StandIns).HasMaxLength(400);
            b.Property(i => i.Version).IsConcurrencyToken();
            b.HasIndex(i => i.TriggerKey).IsUnique();
            b.HasIndex(i => i.HouseholdId);
            b.HasIndex(i => new { i.TemplateKey, i.Status });
            b.HasOne<TemplateVersion>().WithMany().HasForeignKey(i => i.TemplateVersionId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<Household>().WithMany().HasForeignKey(i => i.HouseholdId).OnDelete(DeleteBehavior.Restrict);
            b.HasMany(i => i.Tasks).WithOne(t => t.Instance).HasForeignKey(t => t.InstanceId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<WorkTask>(b =>
        {
            b.ToTable("work_tasks");
            b.Property(t => t.Id).HasConversion(id => id.Value, v => new TaskId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(t => t.InstanceId).HasConversion(id => id.Value, v => new InstanceId(v));
            b.Property(t => t.HouseholdId).HasConversion(id => id!.Value.Value, v => new HouseholdId(v));
            b.Property(t => t.AssigneeId).HasConversion(id => id!.Value.Value, v => new StaffId(v));
            b.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(t => t.DueOn).HasConversion(Conversions.NullableLocalDate);
            b.Property(t => t.OverdueSince).HasConversion(Conversions.NullableLocalDate);
            b.Property(t => t.ActivatedAt).HasConversion(Conversions.Instant);
            b.Property(t => t.StartedAt).HasConversion(Conversions.NullableInstant);
            b.Property(t => t.ClosedAt).HasConversion(Conversions.NullableInstant);
            b.Property(t => t.Version).IsConcurrencyToken();
            b.HasOne<Staff>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Restrict);
            // In a work list's order (due date, then id), so a page of it reads that page's index entries, not every
            // open task of the person or role and a sort.
            b.HasIndex(t => new { t.AssigneeId, t.DueOn, t.Id }).HasFilter(OpenFilter).HasDatabaseName("ix_work_tasks_open_by_assignee");
            b.HasIndex(t => new { t.RoleKey, t.DueOn, t.Id }).HasFilter(OpenFilter).HasDatabaseName("ix_work_tasks_open_by_role");
            b.HasIndex(t => t.DueOn).HasFilter(OpenFilter + " AND overdue_since IS NULL").HasDatabaseName("ix_work_tasks_due_not_flagged");
            b.HasIndex(t => t.HouseholdId);
            b.HasIndex(t => t.InstanceId);
            b.Ignore(t => t.IsOpen);
            b.Ignore(t => t.IsFinished);
        });

        model.Entity<PeriodicCursor>(b =>
        {
            b.ToTable("periodic_cursors");
            b.HasKey(c => c.TriggerId);
            b.Property(c => c.LastSweptAt).HasConversion(Conversions.Instant);
        });

        model.Entity<TriggerOccurrence>(b =>
        {
            b.ToTable("trigger_occurrences");
            b.HasKey(o => o.Key);
            b.Property(o => o.InstanceId).HasConversion(id => id!.Value.Value, v => new InstanceId(v));
            b.Property(o => o.RecordedAt).HasConversion(Conversions.Instant);
        });

        model.Entity<AuditRow>(b =>
        {
            b.ToTable("audit_events");
            b.HasKey(e => e.Sequence);
            b.Property(e => e.Sequence).ValueGeneratedNever();
            b.Property(e => e.At).HasConversion(Conversions.Instant);
            b.HasIndex(e => e.HouseholdId);
            b.HasIndex(e => new { e.EntityType, e.EntityId });
        });

        model.Entity<AuditHeadRow>(b =>
        {
            b.ToTable("audit_head");
            b.Property(h => h.Id).ValueGeneratedNever();
            b.HasData(new AuditHeadRow { Id = 1, LastSequence = 0, LastHash = Ensemble.Audit.AuditChain.Genesis });
        });

        // Its row and the triggers that move it are created by the DirectoryStamp migration, in each provider's SQL.
        model.Entity<DirectoryStampRow>(b =>
        {
            b.ToTable("directory_stamp");
            b.Property(s => s.Id).ValueGeneratedNever();
        });

        // Its rows and the triggers on team_assignments that write them are created by the TeamStamps migration.
        model.Entity<TeamStampRow>(b =>
        {
            b.ToTable("team_stamps");
            b.HasKey(s => s.HouseholdId);
            b.Property(s => s.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v)).ValueGeneratedNever();
            b.HasOne<Household>().WithOne().HasForeignKey<TeamStampRow>(s => s.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        });

        ConfigureAccess(model);
        Consolidation.ConsolidationModel.Configure(model);
        Advisory.AdvisoryModel.Configure(model);
        Advisory.FollowUps.FollowUpModel.Configure(model);
        Communications.OutboxModel.Configure(model);
        Communications.Campaigns.CampaignModel.Configure(model);
        Communications.Archive.CommunicationRecordsModel.Configure(model);
    }

    private static void ConfigureAccess(ModelBuilder model)
    {
        model.Entity<Access.UserAccount>(b =>
        {
            b.ToTable("user_accounts");
            b.Property(u => u.StaffId).HasConversion(id => id.Value, v => new StaffId(v));
            b.Property(u => u.UserName).HasMaxLength(80);
            b.Property(u => u.NormalizedUserName).HasMaxLength(80);
            b.Property(u => u.SecurityStamp).HasMaxLength(100);
            b.Property(u => u.AuthenticatorKey).HasMaxLength(100);
            b.Property(u => u.LockoutEnd).HasConversion(Conversions.NullableInstant);
            b.HasIndex(u => u.NormalizedUserName).IsUnique();
            b.HasIndex(u => u.StaffId).IsUnique();
            b.HasOne<Staff>().WithMany().HasForeignKey(u => u.StaffId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Access.ApiToken>(b =>
        {
            b.ToTable("api_tokens");
            b.Property(t => t.StaffId).HasConversion(id => id.Value, v => new StaffId(v));
            b.Property(t => t.Name).HasMaxLength(120);
            b.Property(t => t.Hash).HasMaxLength(64);
            b.Property(t => t.CreatedAt).HasConversion(Conversions.Instant);
            b.Property(t => t.RevokedAt).HasConversion(Conversions.NullableInstant);
            b.HasIndex(t => t.Hash).IsUnique();
            b.HasOne<Staff>().WithMany().HasForeignKey(t => t.StaffId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Access.IdempotentRequest>(b =>
        {
            b.ToTable("idempotent_requests");
            b.HasKey(r => new { r.Caller, r.Key });
            b.Property(r => r.Caller).HasMaxLength(80);
            b.Property(r => r.Key).HasMaxLength(200);
            b.Property(r => r.Fingerprint).HasMaxLength(300);
            b.Property(r => r.ContentType).HasMaxLength(200);
            b.Property(r => r.CreatedAt).HasConversion(Conversions.Instant);
            b.HasIndex(r => r.CreatedAt);
        });

        model.Entity<Access.ProtectionKey>(b =>
        {
            b.ToTable("protection_keys");
            b.Property(k => k.FriendlyName).HasMaxLength(200);
        });

        model.Entity<Timers.DueTimer>(b =>
        {
            b.ToTable("timers");
            b.Property(t => t.Key).HasMaxLength(300);
            b.Property(t => t.Kind).HasMaxLength(80);
            b.Property(t => t.LeaseOwner).HasMaxLength(120);
            b.Property(t => t.FiredBy).HasMaxLength(120);
            b.Property(t => t.DueAt).HasConversion(Conversions.Instant);
            b.Property(t => t.LeaseUntil).HasConversion(Conversions.NullableInstant);
            b.Property(t => t.FiredAt).HasConversion(Conversions.NullableInstant);
            b.HasIndex(t => t.Key).IsUnique();

            // Only unfired timers are ever looked for, so the index holds only them.
            b.HasIndex(t => t.DueAt).HasFilter("fired_at IS NULL").HasDatabaseName("ix_timers_pending_by_due");
        });

        ServiceModel(model);
    }

    private static void ServiceModel(ModelBuilder model)
    {
        model.Entity<Storage.ServiceModel.ServiceSettingsRow>(b =>
        {
            b.ToTable("service_settings");
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Version).IsConcurrencyToken();
        });

        model.Entity<HouseholdTier>(b =>
        {
            b.ToTable("household_tiers");
            b.HasKey(t => t.HouseholdId);
            b.Property(t => t.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v)).ValueGeneratedNever();
            b.Property(t => t.Computed).HasConversion<string>().HasMaxLength(20);
            b.Property(t => t.OverrideTier).HasConversion<string>().HasMaxLength(20);
            b.Property(t => t.OverrideReason).HasMaxLength(1000);
            b.Property(t => t.OverrideBy).HasMaxLength(60);
            b.Property(t => t.Missing).HasConversion(Conversions.StringList, Conversions.StringListComparer);
            b.Property(t => t.DecidedOn).HasConversion(Conversions.LocalDate);
            b.Property(t => t.OverrideUntil).HasConversion(Conversions.NullableLocalDate);
            b.Ignore(t => t.Override);
            b.HasOne<Household>().WithOne().HasForeignKey<HouseholdTier>(t => t.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(t => t.Computed);
        });

        model.Entity<Touchpoint>(b =>
        {
            b.ToTable("touchpoints");
            b.Property(t => t.Id).HasConversion(id => id.Value, v => new TouchpointId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(t => t.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v));
            b.Property(t => t.AdvisorId).HasConversion(id => id!.Value.Value, v => new StaffId(v));
            b.Property(t => t.InstanceId).HasConversion(id => id!.Value.Value, v => new InstanceId(v));
            b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(30);
            b.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(t => t.StartsAt).HasConversion(Conversions.LocalDateTime).HasMaxLength(19);
            b.Property(t => t.HeldAt).HasConversion(Conversions.NullableInstant);
            b.Property(t => t.Topic).HasMaxLength(80);
            b.Property(t => t.Note).HasMaxLength(2000);
            b.Property(t => t.Version).IsConcurrencyToken();
            b.Ignore(t => t.Date);
            b.HasOne<Household>().WithMany().HasForeignKey(t => t.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Staff>().WithMany().HasForeignKey(t => t.AdvisorId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(t => new { t.HouseholdId, t.Year, t.Sequence }).IsUnique();

            // An advisor's day (the per-day meeting limit, the calendar feed) is read by advisor and time.
            b.HasIndex(t => new { t.AdvisorId, t.StartsAt });
        });

        model.Entity<Opportunity>(b =>
        {
            b.ToTable("opportunities");
            b.Property(o => o.Id).HasConversion(id => id.Value, v => new OpportunityId(v)).ValueGeneratedOnAdd().UseAutoincrement();
            b.Property(o => o.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v));
            b.Property(o => o.TouchpointId).HasConversion(id => id!.Value.Value, v => new TouchpointId(v));
            b.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
            b.Property(o => o.Stage).HasConversion<string>().HasMaxLength(20);
            b.Property(o => o.Title).HasMaxLength(300);
            b.Property(o => o.OwnerRole).HasMaxLength(80);
            b.Property(o => o.OpenedBy).HasMaxLength(60);
            b.Property(o => o.Note).HasMaxLength(2000);
            b.Property(o => o.EstimatedAssets).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
            b.Property(o => o.EstimatedRevenue).HasConversion(Conversions.NullableMoney).HasPrecision(18, 2);
            b.Property(o => o.ExpectedClose).HasConversion(Conversions.NullableLocalDate);
            b.Property(o => o.OpenedAt).HasConversion(Conversions.Instant);
            b.Property(o => o.StageChangedAt).HasConversion(Conversions.Instant);
            b.Property(o => o.ClosedAt).HasConversion(Conversions.NullableInstant);
            b.Property(o => o.Version).IsConcurrencyToken();
            b.Ignore(o => o.IsOpen);
            b.HasOne<Household>().WithMany().HasForeignKey(o => o.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Role>().WithMany().HasForeignKey(o => o.OwnerRole).OnDelete(DeleteBehavior.Restrict);
            b.HasMany(o => o.History).WithOne().HasForeignKey("OpportunityId").OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(o => new { o.HouseholdId, o.Stage });
            b.HasIndex(o => o.Stage);
        });

        model.Entity<OpportunityStageChange>(b =>
        {
            b.ToTable("opportunity_stage_changes");
            b.Property<OpportunityId>("OpportunityId").HasConversion(id => id.Value, v => new OpportunityId(v));
            b.Property(c => c.From).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.To).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.By).HasMaxLength(60);
            b.Property(c => c.At).HasConversion(Conversions.Instant);
            b.Property(c => c.EnteredFromAt).HasConversion(Conversions.Instant);
            b.Ignore(c => c.TimeInPreviousStage);
        });

        model.Entity<LifeEvent>(b =>
        {
            b.ToTable("life_events");
            b.Property(e => e.HouseholdId).HasConversion(id => id.Value, v => new HouseholdId(v));
            b.Property(e => e.ContactInstanceId).HasConversion(id => id!.Value.Value, v => new InstanceId(v));
            b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
            b.Property(e => e.MemberExternalId).HasMaxLength(100);
            b.Property(e => e.Note).HasMaxLength(2000);
            b.Property(e => e.RecordedBy).HasMaxLength(60);
            b.Property(e => e.OccurredOn).HasConversion(Conversions.LocalDate);
            b.Property(e => e.RecordedAt).HasConversion(Conversions.Instant);
            b.HasOne<Household>().WithMany().HasForeignKey(e => e.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(e => new { e.HouseholdId, e.OccurredOn });
        });

        model.Entity<StaffNotification>(b =>
        {
            b.ToTable("staff_notifications");
            b.Property(n => n.StaffId).HasConversion(id => id.Value, v => new StaffId(v));
            b.Property(n => n.HouseholdId).HasConversion(id => id!.Value.Value, v => new HouseholdId(v));
            b.Property(n => n.Key).HasMaxLength(300);
            b.Property(n => n.Kind).HasMaxLength(60);
            b.Property(n => n.Title).HasMaxLength(500);
            b.Property(n => n.Link).HasMaxLength(500);
            b.Property(n => n.ShowAt).HasConversion(Conversions.Instant);
            b.Property(n => n.ReadAt).HasConversion(Conversions.NullableInstant);
            b.Property(n => n.EmailedAt).HasConversion(Conversions.NullableInstant);
            b.HasOne<Staff>().WithMany().HasForeignKey(n => n.StaffId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(n => n.Key).IsUnique();
            b.HasIndex(n => new { n.StaffId, n.ShowAt });
        });
    }

    private static void HouseholdChild<T>(EntityTypeBuilder<T> b)
        where T : class
    {
        b.Property<HouseholdId>("HouseholdId").HasConversion(id => id.Value, v => new HouseholdId(v));
        b.Property<string>("ExternalId").HasMaxLength(100);
        b.HasIndex("HouseholdId", "ExternalId").IsUnique();
    }
}
