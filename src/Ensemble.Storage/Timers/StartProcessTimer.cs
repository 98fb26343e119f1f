using System.Text.Json;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Storage.Timers;

/// <summary>
/// A timer that starts a process when it falls due: a template, the household (none for firm work) and
/// the anchor dates. The process is started by <see cref="WorkService.StartAsync"/> under the trigger key
/// <c>timer:&lt;key&gt;</c>, and the timer is marked fired inside that same transaction; the trigger key,
/// unique among processes, is a second guard against a double start.
/// </summary>
public static class StartProcessTimer
{
    public const string Kind = "start-process";

    /// <summary>Who the audit trail says started the process.</summary>
    public const string Actor = "ensemble";

    public static string TriggerKey(string timerKey) => "timer:" + timerKey;

    /// <summary>The payload of a start-process timer.</summary>
    public static string Payload(string templateKey, HouseholdId? householdId, IReadOnlyDictionary<string, LocalDate> anchors)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(templateKey);
        ArgumentNullException.ThrowIfNull(anchors);
        var dates = anchors.ToDictionary(a => a.Key, a => (string?)LocalDatePattern.Iso.Format(a.Value), StringComparer.Ordinal);
        return JsonSerializer.Serialize(new Stored(templateKey, householdId?.Value, dates), Conversions.JsonOptions);
    }

    /// <summary>Schedules a process start; idempotent by <paramref name="key"/> (see <see cref="TimerStore.ScheduleAsync"/>).</summary>
    public static Task<Result<bool>> ScheduleAsync(
        EnsembleDb db, string key, Instant dueAt, string templateKey, HouseholdId? householdId, IReadOnlyDictionary<string, LocalDate> anchors,
        CancellationToken cancellationToken = default) =>
        TimerStore.ScheduleAsync(db, key, Kind, Payload(templateKey, householdId, anchors), dueAt, cancellationToken);

    internal static Result<Request> Read(string payloadJson)
    {
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(payloadJson, Conversions.JsonOptions);
        }
        catch (JsonException ex)
        {
            return Error.Invalid($"A {Kind} payload is JSON such as {{\"template\":\"review-meeting\",\"householdId\":12,\"anchors\":{{\"meeting\":\"2027-03-04\"}}}}: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(stored?.Template))
        {
            return Error.Invalid($"A {Kind} payload names the template to start (\"template\").");
        }

        var anchors = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        foreach (var (name, text) in stored.Anchors ?? [])
        {
            var date = LocalDatePattern.Iso.Parse(text ?? "");
            if (!date.Success)
            {
                return Error.Invalid($"Anchor \"{name}\" of a {Kind} payload is \"{text}\", not a date such as 2027-03-04.");
            }

            anchors[name] = date.Value;
        }

        return new Request(stored.Template, stored.HouseholdId is { } id ? new HouseholdId(id) : null, anchors);
    }

    internal static async Task<TimerOutcome> FireAsync(EnsembleDb db, IClock clock, DueTimer timer, string node, CancellationToken cancellationToken)
    {
        var read = Read(timer.Payload);
        if (!read.IsSuccess)
        {
            return await TimerKinds.RefuseAsync(db, clock, timer, node, read.Error!.Message, cancellationToken);
        }

        var request = read.Value;
        var fence = new Fence(db, clock, timer, node);
        Result<Transition> started;
        db.SavingChanges += fence.OnSaving;
        try
        {
            started = await new WorkService(db, clock).StartAsync(
                request.Template, request.HouseholdId, request.Anchors, Actor, TriggerKey(timer.Key), cancellationToken);
        }
        catch (LeaseLostException)
        {
            return new TimerOutcome(TimerOutcomeKind.LeaseLost, "another node claimed it first; the start was rolled back", clock.GetCurrentInstant());
        }
        finally
        {
            db.SavingChanges -= fence.OnSaving;
        }

        if (started.IsSuccess)
        {
            var instance = started.Value.Instance;
            var firedAt = fence.FiredAt ?? throw new InvalidOperationException("The process was started without the timer being marked fired in its transaction.");
            var household = instance.HouseholdId is { } hh ? $" for household {hh}" : "";
            return new TimerOutcome(TimerOutcomeKind.Fired, $"started {instance.TemplateName} (process {instance.Id}){household}", firedAt);
        }

        if (started.Error!.Kind == ErrorKind.Conflict)
        {
            // A process already carries this timer's trigger key: the effect has happened, so the timer is done.
            var now = clock.GetCurrentInstant();
            return await TimerStore.FireAsync(db, timer, node, now, cancellationToken)
                ? new TimerOutcome(TimerOutcomeKind.Fired, $"already done: {started.Error.Message}", now)
                : new TimerOutcome(TimerOutcomeKind.LeaseLost, "another node claimed it first", now);
        }

        return await TimerKinds.RefuseAsync(db, clock, timer, node, started.Error.Message, cancellationToken);
    }

    internal sealed record Request(string Template, HouseholdId? HouseholdId, IReadOnlyDictionary<string, LocalDate> Anchors);

    private sealed record Stored(string? Template, long? HouseholdId, Dictionary<string, string?>? Anchors);

    /// <summary>
    /// Marks the timer fired in whichever transaction the work service saves the new process in (its
    /// retries open fresh ones), before the save, so the row is locked from there to the commit. If the
    /// lease has been lost the save is abandoned and the work service rolls its transaction back.
    /// </summary>
    private sealed class Fence(EnsembleDb db, IClock clock, DueTimer timer, string node)
    {
        private IDbContextTransaction? _firedIn;

        public Instant? FiredAt { get; private set; }

        public void OnSaving(object? sender, SavingChangesEventArgs e)
        {
            var transaction = db.Database.CurrentTransaction;
            if (transaction is null || ReferenceEquals(transaction, _firedIn))
            {
                return;
            }

            var now = clock.GetCurrentInstant();
            if (!TimerStore.Fire(db, timer, node, now))
            {
                throw new LeaseLostException();
            }

            _firedIn = transaction;
            FiredAt = now;
        }
    }

    private sealed class LeaseLostException() : Exception("The timer's lease has passed to another node.");
}
