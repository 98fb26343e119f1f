using Ensemble.Audit;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.Processes.Running;
using Ensemble.Processes.Templates;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage;

/// <summary>
/// The one model of Ensemble's data, used on SQLite and PostgreSQL alike. Every save that changes
/// firm data appends audit events in the same transaction (see <see cref="AuditCapture"/>).
/// </summary>
public abstract class EnsembleDb : DbContext
{
    protected EnsembleDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Firm> Firms => Set<Firm>();

    public DbSet<Role> Roles => Set<Role>();

    public DbSet<Staff> Staff => Set<Staff>();

    public DbSet<TeamAssignment> TeamAssignments => Set<TeamAssignment>();

    public DbSet<Household> Households => Set<Household>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Policy> Policies => Set<Policy>();

    public DbSet<TemplateVersion> TemplateVersions => Set<TemplateVersion>();

    public DbSet<ProcessInstance> Instances => Set<ProcessInstance>();

    public DbSet<WorkTask> Tasks => Set<WorkTask>();

    public DbSet<PeriodicCursor> PeriodicCursors => Set<PeriodicCursor>();

    public DbSet<TriggerOccurrence> TriggerOccurrences => Set<TriggerOccurrence>();

    public DbSet<AuditRow> AuditEvents => Set<AuditRow>();

    public DbSet<AuditHeadRow> AuditHead => Set<AuditHeadRow>();

    public DbSet<DirectoryStampRow> DirectoryStamp => Set<DirectoryStampRow>();

    public DbSet<TeamStampRow> TeamStamps => Set<TeamStampRow>();

    public DbSet<Access.UserAccount> UserAccounts => Set<Access.UserAccount>();

    public DbSet<Access.ApiToken> ApiTokens => Set<Access.ApiToken>();

    public DbSet<Access.IdempotentRequest> IdempotentRequests => Set<Access.IdempotentRequest>();

    public DbSet<Timers.DueTimer> Timers => Set<Timers.DueTimer>();

    public DbSet<Access.ProtectionKey> ProtectionKeys => Set<Access.ProtectionKey>();

    public DbSet<ServiceModel.ServiceSettingsRow> ServiceSettings => Set<ServiceModel.ServiceSettingsRow>();

    public DbSet<global::Ensemble.ServiceModel.HouseholdTier> HouseholdTiers => Set<global::Ensemble.ServiceModel.HouseholdTier>();

    public DbSet<global::Ensemble.ServiceModel.Touchpoint> Touchpoints => Set<global::Ensemble.ServiceModel.Touchpoint>();

    public DbSet<global::Ensemble.Opportunities.Opportunity> Opportunities => Set<global::Ensemble.Opportunities.Opportunity>();

    public DbSet<LifeEvent> LifeEvents => Set<LifeEvent>();

    public DbSet<StaffNotification> Notifications => Set<StaffNotification>();

    public DbSet<global::Ensemble.Consolidation.DataSource> DataSources => Set<global::Ensemble.Consolidation.DataSource>();

    public DbSet<Consolidation.ConsolidationSettingsRow> ConsolidationSettings => Set<Consolidation.ConsolidationSettingsRow>();

    public DbSet<Consolidation.SourceImportRow> SourceImports => Set<Consolidation.SourceImportRow>();

    public DbSet<Consolidation.SourceValueRow> SourceValues => Set<Consolidation.SourceValueRow>();

    public DbSet<Consolidation.ConsolidatedValueRow> ConsolidatedValues => Set<Consolidation.ConsolidatedValueRow>();

    public DbSet<global::Ensemble.Consolidation.Discrepancy> Discrepancies => Set<global::Ensemble.Consolidation.Discrepancy>();

    public DbSet<Consolidation.FactSheetRow> FactSheets => Set<Consolidation.FactSheetRow>();

    public DbSet<global::Ensemble.Advisory.Alerts.Alert> Alerts => Set<global::Ensemble.Advisory.Alerts.Alert>();

    public DbSet<global::Ensemble.Advisory.Alerts.AlertChange> AlertChanges => Set<global::Ensemble.Advisory.Alerts.AlertChange>();

    public DbSet<Advisory.AdvisorySettingsRow> AdvisorySettings => Set<Advisory.AdvisorySettingsRow>();

    public DbSet<Advisory.AdvisoryRunRow> AdvisoryRuns => Set<Advisory.AdvisoryRunRow>();

    public DbSet<Advisory.UnevaluatedRow> Unevaluated => Set<Advisory.UnevaluatedRow>();

    public DbSet<global::Ensemble.Communications.OutboxMessage> Outbox => Set<global::Ensemble.Communications.OutboxMessage>();

    public DbSet<global::Ensemble.Communications.Campaigns.Campaign> Campaigns => Set<global::Ensemble.Communications.Campaigns.Campaign>();

    public DbSet<global::Ensemble.Communications.Campaigns.CampaignReview> CampaignReviews => Set<global::Ensemble.Communications.Campaigns.CampaignReview>();

    public DbSet<global::Ensemble.Communications.Campaigns.SavedAudience> SavedAudiences => Set<global::Ensemble.Communications.Campaigns.SavedAudience>();

    public DbSet<Communications.Archive.CommunicationSettingsRow> CommunicationSettings => Set<Communications.Archive.CommunicationSettingsRow>();

    public DbSet<global::Ensemble.Communications.Notifications.NotificationPreferences> NotificationPreferences => Set<global::Ensemble.Communications.Notifications.NotificationPreferences>();

    /// <summary>Who is making the changes (a staff handle, or "ensemble" for the system itself).</summary>
    public string Actor { get; set; } = "ensemble";

    /// <summary>What the changes are for, e.g. "complete-task"; recorded with each audit event.</summary>
    public string? Operation { get; set; }

    /// <summary>True while a transition saves: its few rows are written as plain statements (<see cref="DirectSave"/>).</summary>
    internal bool SavesDirectly { get; set; }

    /// <summary>
    /// Set while this context's change runs in a PostgreSQL commit group: its audit events are kept here, and the group
    /// appends those of every kept change in one statement before it commits (<see cref="CommitGroup"/>).
    /// </summary>
    internal List<AuditBatch>? DeferredAudit { get; set; }

    /// <summary>Where this context's current transaction left the audit chain's head (PostgreSQL), which it holds locked.</summary>
    internal HeldAuditHead? HeldAuditHead { get; set; }

    /// <summary>The clock audit events are stamped with.</summary>
    public IClock Clock { get; set; } = NodaTime.SystemClock.Instance;

    public abstract StorageProvider Provider { get; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        using var detected = ChangesDetectedOnce();
        var captured = AuditCapture.Capture(ChangeTracker);
        return captured.Count == 0
            ? await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
            : await SaveAuditedAsync(captured, acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Takes the tracked change's audit and the statements that would write it, without writing anything; null when
    /// the change needs EF Core's save (<see cref="DirectSave.PlanOf"/>). A commit group then writes it.
    /// </summary>
    internal PreparedChange? PrepareDirectSave()
    {
        using var detected = ChangesDetectedOnce();
        var captured = AuditCapture.Capture(ChangeTracker);
        return captured.Count > 0 && DirectSave.PlanOf(this) is { } plan ? new PreparedChange(plan, captured) : null;
    }

    /// <summary>
    /// Detects the changes now and not again until the scope ends. Left on, EF Core would scan every tracked entity
    /// again each time the audit or the save lists the entries, all while a SQLite writer may hold the lock.
    /// </summary>
    private DetectedChanges ChangesDetectedOnce()
    {
        ChangeTracker.DetectChanges();
        var scope = new DetectedChanges(ChangeTracker, ChangeTracker.AutoDetectChangesEnabled);
        ChangeTracker.AutoDetectChangesEnabled = false;
        return scope;
    }

    private readonly struct DetectedChanges(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker, bool detects) : IDisposable
    {
        public void Dispose() => tracker.AutoDetectChangesEnabled = detects;
    }

    private async Task<int> SaveAuditedAsync(List<AuditCapture> captured, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = (SavesDirectly ? await DirectSave.TrySaveAsync(this, acceptAllChangesOnSuccess, cancellationToken) : null)
                ?? await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            var now = Clock.GetCurrentInstant();
            await AuditWriter.AppendAsync(this, captured.Select(c => c.Complete()).ToList(), now, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) => EnsembleModel.Configure(modelBuilder);
}
