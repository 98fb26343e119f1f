using System.Linq.Expressions;
using Ensemble.Advisory.Alerts;
using Ensemble.Common;
using Ensemble.Consolidation;
using Ensemble.Storage.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Advisory;

/// <summary>An alert as lists and the API show it: what fired, for whom, where it stands, and the values that made it fire.</summary>
public sealed record AlertView(
    long Id,
    string HouseholdKey,
    string HouseholdName,
    string Rule,
    string Variant,
    string Type,
    string Title,
    string VariantLabel,
    string Category,
    string? Advice,
    AlertStatus Status,
    LocalDate? SnoozedUntil,
    bool Snoozed,
    Instant RaisedAt,
    Instant StatusChangedAt,
    string StatusChangedBy,
    Instant? VariantChangedAt,
    Instant? ResolvedAt,
    AlertResolution? Resolution,
    string? ResolutionNote,
    double Urgency,
    double Sensitivity,
    int Rank,
    IReadOnlyList<AlertValue> Explanation,
    long? PreviousAlertId,
    int ReopenCount,
    int Version)
{
    public bool IsOpen => Status != AlertStatus.Resolved;

    /// <summary>The alert's moves after it was raised, oldest first (filled when one alert is asked for).</summary>
    public IReadOnlyList<AlertHistoryLine> History { get; init; } = [];
}

/// <summary>One move in an alert's history.</summary>
public sealed record AlertHistoryLine(Instant At, string Actor, string What, string Description, AlertStatus? From, AlertStatus To, string? Note);

/// <summary>Which alerts a list shows.</summary>
public enum AlertListStatus
{
    /// <summary>Open and not snoozed today: what needs attention.</summary>
    Open,
    New,
    Acknowledged,
    InFollowUp,
    Snoozed,
    Resolved,
    All,
}

/// <summary>A list's filter: rule, category, status, household and alert type, each optional.</summary>
public sealed record AlertFilter(string? Rule = null, string? Category = null, AlertListStatus Status = AlertListStatus.Open, HouseholdId? Household = null, string? Type = null)
{
    public const string StatusChoices = "open (the default: open and not snoozed), new, acknowledged, in-follow-up, snoozed, resolved or all";

    public static AlertListStatus? ParseStatus(string? text) =>
        string.IsNullOrWhiteSpace(text) ? AlertListStatus.Open
        : text.Trim().ToLowerInvariant() switch
        {
            "open" => AlertListStatus.Open,
            "snoozed" => AlertListStatus.Snoozed,
            "all" => AlertListStatus.All,
            _ => AlertStatuses.Parse(text) switch
            {
                AlertStatus.New => AlertListStatus.New,
                AlertStatus.Acknowledged => AlertListStatus.Acknowledged,
                AlertStatus.InFollowUp => AlertListStatus.InFollowUp,
                AlertStatus.Resolved => AlertListStatus.Resolved,
                _ => null,
            },
        };
}

/// <summary>A rule that could not be evaluated for a household in the last run, as listed.</summary>
public sealed record UnevaluatedView(string HouseholdKey, string HouseholdName, string Rule, string Title, string Reason, Instant RecordedAt);

/// <summary>
/// Reading alerts: ranked lists (by the canvas: most urgent, then most advice-sensitive, then longest waiting),
/// one alert with its history, a household's alerts, counts per type, and the could-not-evaluate list.
/// </summary>
public sealed class AlertViews(EnsembleDb db, IClock clock)
{
    public async Task<List<AlertView>> ListAsync(
        FirmFramework firm, AlertFilter filter, int take, int skip = 0, IReadOnlyCollection<long>? visibleHouseholds = null, CancellationToken cancellationToken = default)
    {
        var today = await TodayAsync(cancellationToken);
        var query = Filtered(firm, filter, today);
        if (visibleHouseholds is not null)
        {
            var ids = visibleHouseholds.Select(h => new HouseholdId(h)).ToList();
            query = query.Where(a => ids.Contains(a.HouseholdId));
        }

        var ordered = filter.Status == AlertListStatus.Resolved
            ? query.OrderByDescending(a => a.ResolvedAt).ThenByDescending(a => a.Id)
            : query.OrderBy(RankOf(firm)).ThenBy(a => a.RaisedAt).ThenBy(a => a.Id);
        var alerts = await ordered.Skip(skip).Take(take).ToListAsync(cancellationToken);
        return await ViewsAsync(firm, alerts, today, cancellationToken);
    }

    /// <summary>How many alerts a filter matches (for the page's heading).</summary>
    public async Task<int> CountAsync(FirmFramework firm, AlertFilter filter, IReadOnlyCollection<long>? visibleHouseholds = null, CancellationToken cancellationToken = default)
    {
        var query = Filtered(firm, filter, await TodayAsync(cancellationToken));
        if (visibleHouseholds is not null)
        {
            var ids = visibleHouseholds.Select(h => new HouseholdId(h)).ToList();
            query = query.Where(a => ids.Contains(a.HouseholdId));
        }

        return await query.CountAsync(cancellationToken);
    }

    public async Task<AlertView?> FindAsync(FirmFramework firm, AlertId id, CancellationToken cancellationToken = default)
    {
        var alert = await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
        {
            return null;
        }

        var view = (await ViewsAsync(firm, [alert], await TodayAsync(cancellationToken), cancellationToken))[0];
        var history = await db.AlertChanges.AsNoTracking().Where(c => c.AlertId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        return view with { History = history.Select(c => new AlertHistoryLine(c.At, c.Actor, c.What, c.Describe(), c.From, c.To, c.Note)).ToList() };
    }

    /// <summary>The household an alert belongs to, for access checks; null when there is no such alert.</summary>
    public Task<HouseholdId?> HouseholdOfAsync(AlertId id, CancellationToken cancellationToken = default) =>
        db.Alerts.AsNoTracking().Where(a => a.Id == id).Select(a => (HouseholdId?)a.HouseholdId).SingleOrDefaultAsync(cancellationToken);

    public Task<int?> VersionOfAsync(AlertId id, CancellationToken cancellationToken = default) =>
        db.Alerts.AsNoTracking().Where(a => a.Id == id).Select(a => (int?)a.Version).SingleOrDefaultAsync(cancellationToken);

    /// <summary>A household's alerts: open ones ranked (snoozed ones last), then, when asked, the resolved ones newest first.</summary>
    public async Task<List<AlertView>> ForHouseholdAsync(FirmFramework firm, HouseholdId household, bool includeResolved, int resolvedLimit = 20, CancellationToken cancellationToken = default)
    {
        var today = await TodayAsync(cancellationToken);
        var open = await db.Alerts.AsNoTracking().Where(a => a.HouseholdId == household && a.Status != AlertStatus.Resolved).ToListAsync(cancellationToken);
        var alerts = open.OrderBy(a => a.IsSnoozedOn(today)).ThenBy(a => firm.Type(a.TypeKey)?.Rank ?? int.MaxValue).ThenBy(a => a.RaisedAt).ToList();
        if (includeResolved)
        {
            alerts.AddRange(await db.Alerts.AsNoTracking()
                .Where(a => a.HouseholdId == household && a.Status == AlertStatus.Resolved)
                .OrderByDescending(a => a.ResolvedAt).ThenByDescending(a => a.Id).Take(resolvedLimit)
                .ToListAsync(cancellationToken));
        }

        return await ViewsAsync(firm, alerts, today, cancellationToken);
    }

    /// <summary>Open alerts (not snoozed) per alert type: what the canvas counts.</summary>
    public async Task<Dictionary<string, int>> OpenCountsByTypeAsync(CancellationToken cancellationToken = default)
    {
        var today = await TodayAsync(cancellationToken);
        var counts = await db.Alerts.AsNoTracking()
            .Where(a => a.Status != AlertStatus.Resolved && (a.SnoozedUntil == null || a.SnoozedUntil <= today))
            .GroupBy(a => a.TypeKey)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return counts.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal);
    }

    /// <summary>The could-not-evaluate list of the last run, by household then rule.</summary>
    public async Task<List<UnevaluatedView>> UnevaluatedAsync(
        FirmFramework firm, int take, int skip = 0, IReadOnlyCollection<long>? visibleHouseholds = null, CancellationToken cancellationToken = default)
    {
        var rows = db.Unevaluated.AsNoTracking();
        if (visibleHouseholds is not null)
        {
            var ids = visibleHouseholds.Select(h => new HouseholdId(h)).ToList();
            rows = rows.Where(r => ids.Contains(r.HouseholdId));
        }

        var list = await (from r in rows
                          join h in db.Households on r.HouseholdId equals h.Id
                          orderby h.Key, r.RuleKey
                          select new { h.Key, h.Name, r.RuleKey, r.Reason, r.RecordedAt })
            .Skip(skip).Take(take).ToListAsync(cancellationToken);
        return list.Select(r => new UnevaluatedView(r.Key, r.Name, r.RuleKey, firm.Rule(r.RuleKey)?.Title ?? r.RuleKey, r.Reason, r.RecordedAt)).ToList();
    }

    /// <summary>The latest runs, newest first.</summary>
    public Task<List<AdvisoryRunRow>> RunsAsync(int take, CancellationToken cancellationToken = default) =>
        db.AdvisoryRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take).ToListAsync(cancellationToken);

    private IQueryable<Alert> Filtered(FirmFramework firm, AlertFilter filter, LocalDate today)
    {
        var query = db.Alerts.AsNoTracking();
        query = filter.Status switch
        {
            AlertListStatus.Open => query.Where(a => a.Status != AlertStatus.Resolved && (a.SnoozedUntil == null || a.SnoozedUntil <= today)),
            AlertListStatus.New => Awake(query.Where(a => a.Status == AlertStatus.New), today),
            AlertListStatus.Acknowledged => Awake(query.Where(a => a.Status == AlertStatus.Acknowledged), today),
            AlertListStatus.InFollowUp => Awake(query.Where(a => a.Status == AlertStatus.InFollowUp), today),
            AlertListStatus.Snoozed => query.Where(a => a.Status != AlertStatus.Resolved && a.SnoozedUntil != null && a.SnoozedUntil > today),
            AlertListStatus.Resolved => query.Where(a => a.Status == AlertStatus.Resolved),
            _ => query,
        };
        if (filter.Rule is { } rule)
        {
            query = query.Where(a => a.RuleKey == rule);
        }

        if (filter.Category is { } category)
        {
            var rules = firm.Framework.Rules.Where(r => r.Category == category).Select(r => r.Key).ToList();
            query = query.Where(a => rules.Contains(a.RuleKey));
        }

        if (filter.Type is { } type)
        {
            query = query.Where(a => a.TypeKey == type);
        }

        if (filter.Household is { } household)
        {
            query = query.Where(a => a.HouseholdId == household);
        }

        return query;
    }

    private static IQueryable<Alert> Awake(IQueryable<Alert> query, LocalDate today) =>
        query.Where(a => a.SnoozedUntil == null || a.SnoozedUntil <= today);

    /// <summary>The canvas rank as SQL (a CASE over the type keys), so a page of a long list is chosen by the database.</summary>
    private static Expression<Func<Alert, int>> RankOf(FirmFramework firm)
    {
        var alert = Expression.Parameter(typeof(Alert), "a");
        var type = Expression.Property(alert, nameof(Alert.TypeKey));
        Expression rank = Expression.Constant(firm.Types.Count);
        for (var i = firm.Types.Count - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(type, Expression.Constant(firm.Types[i].Key)), Expression.Constant(i), rank);
        }

        return Expression.Lambda<Func<Alert, int>>(rank, alert);
    }

    private async Task<List<AlertView>> ViewsAsync(FirmFramework firm, List<Alert> alerts, LocalDate today, CancellationToken cancellationToken)
    {
        var ids = alerts.Select(a => a.HouseholdId).Distinct().ToList();
        var households = await db.Households.AsNoTracking().Where(h => ids.Contains(h.Id))
            .Select(h => new { h.Id, h.Key, h.Name }).ToDictionaryAsync(h => h.Id, cancellationToken);
        return alerts.Select(a =>
        {
            var rule = firm.Rule(a.RuleKey);
            var variant = rule is null ? -1 : FirmFramework.VariantIndex(rule, a.VariantKey);
            var type = firm.Type(a.TypeKey);
            var household = households.GetValueOrDefault(a.HouseholdId);
            return new AlertView(
                a.Id.Value, household?.Key ?? "?", household?.Name ?? "?", a.RuleKey, a.VariantKey, a.TypeKey,
                rule?.Title ?? a.RuleKey, variant >= 0 ? rule!.Variants[variant].Label : a.VariantKey, rule?.Category ?? "", rule?.Advice,
                a.Status, a.SnoozedUntil, a.IsSnoozedOn(today), a.RaisedAt, a.StatusChangedAt, a.StatusChangedBy, a.VariantChangedAt,
                a.ResolvedAt, a.Resolution, a.ResolutionNote, type?.Urgency ?? 0, type?.Sensitivity ?? 0, type?.Rank ?? firm.Types.Count,
                AlertExplanation.Read(a.Explanation, FactCatalog.Default), a.PreviousAlertId?.Value, a.ReopenCount, a.Version);
        }).ToList();
    }

    private async Task<LocalDate> TodayAsync(CancellationToken cancellationToken) =>
        (await WorkContextLoader.FirmAsync(db, cancellationToken)).Today(clock);
}
