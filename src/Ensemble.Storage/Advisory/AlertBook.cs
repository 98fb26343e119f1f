using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// What people do with alerts: acknowledge, put in follow-up, snooze until a day, resolve with a note. The alert
/// itself refuses illegal moves; each move is kept in the alert's history and, being a person's decision about a
/// client file, written to the audit trail as well (alert rows are otherwise left out of it: the run writes too many).
/// </summary>
public sealed class AlertBook(EnsembleDb db, IClock clock)
{
    /// <param name="expectedVersion">When given, the alert must still be at this version (the API's If-Match), else nothing changes.</param>
    public Task<Result<AlertView>> AcknowledgeAsync(AlertId id, string actor, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, "acknowledge-alert", expectedVersion, (alert, _, now) => alert.Acknowledge(now, actor), cancellationToken);

    public Task<Result<AlertView>> FollowUpAsync(AlertId id, string actor, string? note, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, "follow-up-alert", expectedVersion, (alert, _, now) => alert.StartFollowUp(now, actor, note), cancellationToken);

    public Task<Result<AlertView>> SnoozeAsync(AlertId id, LocalDate until, string actor, string? note, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, "snooze-alert", expectedVersion, (alert, today, now) => alert.Snooze(until, today, now, actor, note), cancellationToken);

    public Task<Result<AlertView>> ResolveAsync(AlertId id, string actor, string? note, int? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ActAsync(id, actor, "resolve-alert", expectedVersion, (alert, _, now) => alert.Resolve(now, actor, note), cancellationToken);

    private async Task<Result<AlertView>> ActAsync(
        AlertId id, string actor, string operation, int? expectedVersion, Func<Alert, LocalDate, Instant, Result<AlertChange>> act, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var firm = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var today = (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
        db.Actor = actor;
        db.Operation = operation;
        try
        {
            using (await WriteGate.EnterAsync(db, cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
                if (alert is null)
                {
                    return Error.NotFound($"There is no alert {id}.");
                }

                if (expectedVersion is { } expected && alert.Version != expected)
                {
                    return Error.Conflict($"Alert {id} changed since you read it (now version {alert.Version}); read it again and retry.");
                }

                var before = Snapshot(alert, null, null);
                var now = clock.GetCurrentInstant();
                var moved = act(alert, today, now);
                if (!moved.IsSuccess)
                {
                    return moved.Error!;
                }

                db.AlertChanges.Add(moved.Value);
                await db.SaveChangesAsync(cancellationToken);
                var after = Snapshot(alert, firm.Rule(alert.RuleKey)?.Title, moved.Value.Note);
                await AuditWriter.AppendAsync(
                    db, [new PendingAuditEvent(alert.HouseholdId.Value, nameof(Alert), alert.Id.ToString(), moved.Value.What, before, after)], now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict($"Alert {id} was changed by someone else at the same moment; read it again and retry.");
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.Operation = null;
        }

        return (await new AlertViews(db, clock).FindAsync(firm, id, cancellationToken))!;
    }

    /// <summary>The audit record of a person's move: the status (and snooze) before and after, with the rule's title the timeline shows.</summary>
    private static string Snapshot(Alert alert, string? title, string? note)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (title is not null)
            {
                json.WriteString("Title", title);
                json.WriteString(nameof(Alert.RuleKey), alert.RuleKey);
                json.WriteString(nameof(Alert.VariantKey), alert.VariantKey);
            }

            json.WriteString(nameof(Alert.Status), alert.Status.ToString());
            if (alert.SnoozedUntil is { } until)
            {
                json.WriteString(nameof(Alert.SnoozedUntil), until.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull(nameof(Alert.SnoozedUntil));
            }

            if (note is not null)
            {
                json.WriteString("Note", note);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
