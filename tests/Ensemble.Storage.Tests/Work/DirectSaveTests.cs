using System.Diagnostics;
using Ensemble.Processes.Running;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Testing;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NodaTime;

namespace Ensemble.Storage.Tests.Work;

/// <summary>
/// A transition's few rows are written as plain statements (<see cref="DirectSave"/>); anything else is still EF Core's.
/// </summary>
public sealed class DirectSaveTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task ACompletion_IsWrittenWithoutEfCoresSave_AndItsRowsReadBackAsChanged(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var prepare = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        await using var db = s.OpenAnother();
        using var saves = new EfSaves(db);

        var done = await new WorkService(db, s.Clock).CompleteAsync(prepare.Id, "alice", "pack sent");

        Assert.True(done.IsSuccess, done.Error?.Message);
        Assert.Equal(0, saves.Count);
        var meet = Assert.Single(done.Value.Activated);
        await using var fresh = s.OpenAnother();
        var tasks = await fresh.Tasks.AsNoTracking().Where(t => t.InstanceId == prepare.InstanceId).OrderBy(t => t.Id).ToListAsync();
        Assert.Equal(2, tasks.Count);
        var closed = tasks[0];
        Assert.Equal((WorkTaskStatus.Done, "alice", "pack sent", prepare.Version + 1), (closed.Status, closed.ClosedBy, closed.Note, closed.Version));
        Assert.Equal(s.Clock.GetCurrentInstant(), closed.ClosedAt);
        var opened = tasks[1];
        Assert.Equal(meet.Id, opened.Id);
        Assert.Equal(
            (meet.StepKey, meet.Title, meet.RoleKey, meet.Status, meet.DueOn, meet.AssigneeId, meet.HouseholdId, meet.ActivatedAt, meet.Version),
            (opened.StepKey, opened.Title, opened.RoleKey, opened.Status, opened.DueOn, opened.AssigneeId, opened.HouseholdId, opened.ActivatedAt, opened.Version));
        var instance = await fresh.Instances.AsNoTracking().SingleAsync(i => i.Id == prepare.InstanceId);
        Assert.Equal(done.Value.Instance.Version, instance.Version);

        // The new row's id came back into the tracked task, and the audit names it.
        var events = await fresh.AuditEvents.AsNoTracking().Where(e => e.EntityType == nameof(WorkTask)).ToListAsync();
        Assert.Contains(events, e => e.Action == "created" && e.EntityId == meet.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((await new AuditTrail(fresh).VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task ARowChangedBySomeoneElseSinceItWasRead_IsAConcurrencyConflict_AndKeepsTheirChange(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        var prepare = await s.StartMeetingPrepAsync(new LocalDate(2026, 12, 7));
        await using var stale = s.OpenAnother();
        var task = await stale.Tasks.SingleAsync(t => t.Id == prepare.Id);

        Assert.True((await new WorkService(s.Db, s.Clock).BeginAsync(prepare.Id, "alice")).IsSuccess);
        Assert.True(task.Start(s.Clock.GetCurrentInstant().Plus(Duration.FromMinutes(5))).IsSuccess);
        stale.SavesDirectly = true;
        await using (var transaction = await stale.Database.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        }

        await using var fresh = s.OpenAnother();
        var row = await fresh.Tasks.AsNoTracking().SingleAsync(t => t.Id == prepare.Id);
        Assert.Equal((WorkTaskStatus.InProgress, prepare.Version + 1, s.Clock.GetCurrentInstant()), (row.Status, row.Version, row.StartedAt));
        Assert.True((await new AuditTrail(fresh).VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSql)]
    public async Task AStart_WhoseTasksNeedTheirNewProcessesId_IsLeftToEfCore(StorageProvider provider)
    {
        await using var s = await PracticeScenario.CreateAsync(provider, Templates.File(Templates.MeetingPrep));
        await using var db = s.OpenAnother();
        using var saves = new EfSaves(db);

        var started = await new WorkService(db, s.Clock).StartAsync(
            "meeting-prep", s.Household, new Dictionary<string, LocalDate> { ["meeting"] = new(2026, 12, 7) }, "dan");

        Assert.True(started.IsSuccess, started.Error?.Message);
        Assert.True(saves.Count > 0);
        var task = Assert.Single(await s.TasksAsync());
        Assert.Equal(started.Value.Instance.Id, task.InstanceId);
    }

    /// <summary>Counts EF Core's own saves on one context: its update pipeline announces each one.</summary>
    private sealed class EfSaves : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly EnsembleDb _db;
        private readonly IDisposable _all;
        private readonly List<IDisposable> _listeners = [];
        private int _count;

        public EfSaves(EnsembleDb db)
        {
            _db = db;
            _all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int Count => _count;

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (_listeners)
                {
                    _listeners.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == CoreEventId.SaveChangesStarting.Name && value.Value is DbContextEventData data && data.Context == _db)
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_listeners)
            {
                _listeners.ForEach(l => l.Dispose());
            }
        }
    }
}
