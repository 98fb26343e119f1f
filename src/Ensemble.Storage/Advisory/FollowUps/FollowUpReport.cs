using Ensemble.Advisory.Alerts;
using Ensemble.Advisory.FollowUp;
using Ensemble.Common;
using Ensemble.Processes.Running;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory.FollowUps;

/// <summary>One line of the report: an alert type through one channel ("none" for alerts that had no follow-up).</summary>
public sealed record FollowUpReportRow(
    string Type, string Title, string VariantLabel, string Channel, int Raised, int Measured, int Responded, double? ResponseRate,
    int Resolved, int ResolvedByThemselves, double? MedianDaysToResolution, int Reopened, double? ReopenRate);

/// <summary>A type the report suggests moving on the canvas, from where to where, and why.</summary>
public sealed record FollowUpSuggestion(string Type, string Title, string VariantLabel, double FromUrgency, double FromSensitivity, double ToUrgency, double ToSensitivity, string Why);

/// <summary>The optimisation report: what each alert type achieved through each channel, and which types to move.</summary>
public sealed record FollowUpReportView(
    LocalDate From, LocalDate To, int ResponseDays, int ReopenDays, IReadOnlyList<FollowUpReportRow> Rows, IReadOnlyList<FollowUpSuggestion> Suggestions)
{
    /// <summary>How each figure is counted, as the report prints it.</summary>
    public IReadOnlyList<string> Definitions =>
    [
        $"Raised: alerts raised from {From:uuuu-MM-dd} to {To:uuuu-MM-dd}, by the type and channel of their follow-up (\"none\": no follow-up).",
        $"Response rate: of the alerts raised at least {ResponseDays} days ago (or answered already), the share a person acted on within {ResponseDays} days of the raising — acknowledged it, put it in follow-up, resolved it, or completed a task of its follow-up process.",
        "Median days to resolution: from raising to resolution, over the alerts resolved by a person or by the condition clearing (not by a rule being removed).",
        "Resolved by themselves: resolved by the condition clearing before anyone acted on them.",
        $"Re-open rate: of the resolved alerts, the share whose rule fired again for the household within {ReopenDays} days; recently resolved alerts may still come back, so it can only rise.",
    ];
}

/// <summary>
/// Builds the optimisation report from the alerts raised in a period, their history (who acted, when), their
/// follow-ups and the tasks of the follow-up processes; the figures and suggestions are <see cref="FollowUpEffect"/>'s.
/// </summary>
public sealed class FollowUpReport(EnsembleDb db, IClock clock)
{
    public const int DefaultDays = 365;

    public async Task<FollowUpReportView> BuildAsync(int days = DefaultDays, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var firm = await Work.WorkContextLoader.FirmAsync(db, cancellationToken);
        var framework = await AdvisorySettingsStore.GetAsync(db, cancellationToken);
        var settings = await FollowUpSettingsStore.GetAsync(db, cancellationToken);
        var now = clock.GetCurrentInstant();
        var since = now - Duration.FromDays(days);

        var alerts = await db.Alerts.AsNoTracking().Where(a => a.RaisedAt >= since)
            .Select(a => new { a.Id, a.TypeKey, a.RaisedAt, a.ResolvedAt, a.Resolution, a.PreviousAlertId })
            .ToListAsync(cancellationToken);
        var raisedAgain = alerts.Where(a => a.PreviousAlertId is not null)
            .GroupBy(a => a.PreviousAlertId!.Value).ToDictionary(g => g.Key, g => g.Min(a => a.RaisedAt));

        var people = await db.AlertChanges.AsNoTracking()
            .Where(c => c.At >= since && c.Actor != Alert.System && (c.What == AlertChange.Acknowledged || c.What == AlertChange.FollowUp || c.What == AlertChange.Resolved))
            .Select(c => new { c.AlertId, c.At })
            .ToListAsync(cancellationToken);
        var firstResponse = people.GroupBy(c => c.AlertId).ToDictionary(g => g.Key, g => g.Min(c => c.At));

        var followUps = await (from f in db.FollowUps().AsNoTracking()
                               join a in db.Alerts.AsNoTracking() on f.AlertId equals a.Id
                               where a.RaisedAt >= since
                               select new { f.AlertId, f.TypeKey, f.Channel })
            .ToDictionaryAsync(f => f.AlertId, cancellationToken);
        var taskDone = await (from f in db.FollowUps().AsNoTracking()
                              join t in db.Tasks.AsNoTracking() on f.InstanceId equals (InstanceId?)t.InstanceId
                              where t.Status == WorkTaskStatus.Done && t.ClosedBy != null && t.ClosedBy != Alert.System && t.ClosedAt >= since
                              select new { f.AlertId, t.ClosedAt })
            .ToListAsync(cancellationToken);
        foreach (var done in taskDone.Where(t => t.ClosedAt is not null).GroupBy(t => t.AlertId))
        {
            var at = done.Min(t => t.ClosedAt!.Value);
            firstResponse[done.Key] = firstResponse.TryGetValue(done.Key, out var other) && other < at ? other : at;
        }

        var outcomes = alerts.Select(a =>
        {
            var followUp = followUps.GetValueOrDefault(a.Id);
            return new AlertOutcome(
                followUp?.TypeKey ?? a.TypeKey, followUp?.Channel, a.RaisedAt,
                firstResponse.TryGetValue(a.Id, out var first) ? first : null, a.ResolvedAt, a.Resolution,
                raisedAgain.TryGetValue(a.Id, out var again) ? again : null);
        }).ToList();

        var effects = FollowUpEffect.Measure(outcomes, now, settings);
        var places = framework.Types.ToDictionary(t => t.Key, t => new CanvasPosition(t.Urgency, t.Sensitivity), StringComparer.Ordinal);
        var suggestions = FollowUpEffect.Suggest(effects, places, settings);
        return new FollowUpReportView(
            since.InZone(firm.Zone).Date, now.InZone(firm.Zone).Date, settings.ResponseDays, settings.ReopenDays,
            effects.Select(e => Row(framework, e)).ToList(),
            suggestions.Select(s => Suggestion(framework, s)).ToList());
    }

    private static FollowUpReportRow Row(FirmFramework framework, ChannelEffect e)
    {
        var type = framework.Type(e.TypeKey);
        return new FollowUpReportRow(
            e.TypeKey, type?.Title ?? e.TypeKey, type?.VariantLabel ?? "", e.Channel is { } c ? FollowUpWords.Key(c) : "none",
            e.Raised, e.Measured, e.Responded, e.ResponseRate, e.Resolved, e.ResolvedByThemselves, e.MedianDaysToResolution, e.Reopened, e.ReopenRate);
    }

    private static FollowUpSuggestion Suggestion(FirmFramework framework, CanvasSuggestion s)
    {
        var type = framework.Type(s.TypeKey);
        return new FollowUpSuggestion(s.TypeKey, type?.Title ?? s.TypeKey, type?.VariantLabel ?? "", s.From.Urgency, s.From.Sensitivity, s.To.Urgency, s.To.Sensitivity, s.Why);
    }
}
