using System.Data.Common;
using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>What a write actually changed (a racing run or a person may have got there first).</summary>
internal readonly record struct WriteCounts(int Raised, int Moved, int Resolved)
{
    public static WriteCounts operator +(WriteCounts a, WriteCounts b) => new(a.Raised + b.Raised, a.Moved + b.Moved, a.Resolved + b.Resolved);
}

/// <summary>
/// Writes a run's changes straight to the tables inside the caller's transaction: on SQLite one prepared statement
/// re-bound per row (in process, a statement costs microseconds), on PostgreSQL one batch of set-based statements
/// (see the other part of this class). The run reads open alerts by type only; the ids and statuses of the few it
/// moves or resolves are looked up here, in the write's transaction. Every statement is conditional — insert unless an
/// alert is already open for the household and rule, move or resolve only an alert still as it was looked up — so a
/// racing run or a person acting meanwhile is never overwritten, and history is written only for what changed.
/// </summary>
internal static partial class AlertWriter
{
    private const string Columns = "household_id, rule_key, variant_key, type_key, status, raised_at, status_changed_at, status_changed_by, explanation, previous_alert_id, reopen_count, holds_until_cleared, version";

    private const string AwakeGuard = "(snoozed_until IS NULL OR snoozed_until <= @today)";

    private const string ListUpsert = "ON CONFLICT (household_id, rule_key) DO UPDATE SET reason = excluded.reason, recorded_at = excluded.recorded_at";

    private readonly record struct Step(long AlertId, string What, AlertStatus From, AlertStatus To, string Note);

    /// <summary>An open alert as stored now: what a move or resolution is guarded by and recorded with.</summary>
    private readonly record struct Current(long Id, AlertStatus Status, string VariantKey);

    public static async Task<WriteCounts> WriteAsync(
        DbConnection connection, DbTransaction transaction, StorageProvider provider, FirmFramework firm, PendingChanges pending,
        bool lookUpPrevious, long nowMs, int today, CancellationToken ct)
    {
        if (provider == StorageProvider.PostgreSql)
        {
            return await WritePostgresAsync(connection, transaction, firm, pending, lookUpPrevious, nowMs, today, ct);
        }

        var steps = new List<Step>();
        var raised = await RaiseAsync(connection, transaction, firm, pending.Raise, lookUpPrevious, nowMs, ct);
        var open = await OpenAlertsAsync(connection, transaction, pending, ct);
        var moved = await MoveAsync(connection, transaction, firm, pending.Moves, open, nowMs, today, steps, ct);
        var resolved = await ResolveAsync(connection, transaction, pending.Resolve, open, nowMs, today, steps, ct);
        await ReleaseAsync(connection, transaction, pending.Release, ct);
        await HistoryAsync(connection, transaction, steps, nowMs, ct);
        await ListAsync(connection, transaction, pending.Unevaluated, pending.Evaluated, nowMs, ct);
        return new WriteCounts(raised, moved, resolved);
    }

    /// <summary>Closes every open alert of a rule the framework no longer has, with its history; returns how many.</summary>
    public static async Task<int> ResolveOrphansAsync(DbConnection c, DbTransaction tx, FirmFramework firm, long now, CancellationToken ct)
    {
        var rules = firm.Framework.Rules;
        var names = rules.Select((_, i) => "@r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var gone = $"{AdvisoryModel.OpenFilter}{(rules.Count == 0 ? "" : $" AND rule_key NOT IN ({string.Join(", ", names)})")}";
        var removed = Alert.RuleRemoved(default, AlertStatus.New, default);
        await using var history = Sql.Command(c, tx,
            "INSERT INTO alert_changes (alert_id, at, actor, what, from_status, to_status, note) "
            + $"SELECT id, @at, '{Alert.System}', @what, status, 'Resolved', @note FROM alerts WHERE {gone}");
        await using var update = Sql.Command(c, tx,
            $"UPDATE alerts SET status = 'Resolved', resolved_at = @at, resolution = '{nameof(AlertResolution.RuleRemoved)}', status_changed_at = @at, "
            + $"status_changed_by = '{Alert.System}', snoozed_until = NULL, version = version + 1 WHERE {gone}");
        foreach (var command in new[] { history, update })
        {
            Sql.Add(command, "@at", now);
            for (var i = 0; i < rules.Count; i++)
            {
                Sql.Add(command, names[i], rules[i].Key);
            }
        }

        Sql.Add(history, "@what", removed.What);
        Sql.Add(history, "@note", removed.Note);
        await history.ExecuteNonQueryAsync(ct);
        return await update.ExecuteNonQueryAsync(ct);
    }

    private static async Task<int> RaiseAsync(DbConnection c, DbTransaction tx, FirmFramework firm, List<NewAlert> alerts, bool lookUpPrevious, long now, CancellationToken ct)
    {
        if (alerts.Count == 0)
        {
            return 0;
        }

        var previous = lookUpPrevious ? await PreviousAsync(c, tx, alerts, ct) : [];
        var rules = firm.Framework.Rules;
        await using var row = await PrepareAsync(c, tx,
            $"INSERT INTO alerts ({Columns}) VALUES (@h, @r, @v, @t, 'New', @at, @at, '{Alert.System}', @e, @p, @n, 0, 0) ON CONFLICT DO NOTHING",
            ["@h", "@r", "@v", "@t", "@e", "@p", "@n", "@at"], ct);
        var inserted = 0;
        foreach (var a in alerts)
        {
            // A new alert links back to the last resolved one of its household and rule: the one that held it back, or the latest.
            var (previousId, count) = a.Previous is { } held ? (held, a.ReopenCount)
                : previous.TryGetValue((a.Household, rules[a.Rule].Key), out var p) ? (p.Id, p.ReopenCount + 1)
                : ((long?)null, 0);
            inserted += await ExecuteAsync(row, ct, a.Household, rules[a.Rule].Key, rules[a.Rule].Variants[a.Variant].Key, rules[a.Rule].TypeKey(a.Variant), a.Explanation, previousId, count, now);
        }

        return inserted;
    }

    /// <summary>The last resolved alert of each household and rule among those about to be raised.</summary>
    private static async Task<Dictionary<(long, string), (long Id, int ReopenCount)>> PreviousAsync(DbConnection c, DbTransaction tx, List<NewAlert> alerts, CancellationToken ct)
    {
        var households = alerts.Where(a => a.Previous is null).Select(a => a.Household).Distinct().Order().ToArray();
        var found = new Dictionary<(long, string), (long Id, int ReopenCount)>();
        if (households.Length == 0)
        {
            return found;
        }

        await using var query = Sql.Command(c, tx,
            $"SELECT household_id, rule_key, id, reopen_count FROM alerts WHERE status = 'Resolved' AND {Sql.HouseholdIn(StorageProvider.Sqlite, "household_id", households)}");
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = (reader.GetInt64(0), reader.GetString(1));
            var id = reader.GetInt64(2);
            if (!found.TryGetValue(key, out var other) || other.Id < id)
            {
                found[key] = (id, reader.GetInt32(3));
            }
        }

        return found;
    }

    /// <summary>The open alerts of the households with a move or a resolution pending, by household and rule.</summary>
    private static async Task<Dictionary<(long, string), Current>> OpenAlertsAsync(DbConnection c, DbTransaction tx, PendingChanges pending, CancellationToken ct)
    {
        var found = new Dictionary<(long, string), Current>();
        var households = pending.Moves.Select(m => m.Household).Concat(pending.Resolve.Select(r => r.Household)).Distinct().Order().ToArray();
        if (households.Length == 0)
        {
            return found;
        }

        await using var query = Sql.Command(c, tx,
            $"SELECT household_id, rule_key, id, status, variant_key FROM alerts WHERE {AdvisoryModel.OpenFilter} AND {Sql.HouseholdIn(StorageProvider.Sqlite, "household_id", households)}");
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[(reader.GetInt64(0), reader.GetString(1))] = new Current(reader.GetInt64(2), Sql.Status(reader.GetString(3)), reader.GetString(4));
        }

        return found;
    }

    private static async Task<int> MoveAsync(
        DbConnection c, DbTransaction tx, FirmFramework firm, List<VariantMove> moves, Dictionary<(long, string), Current> open, long now, int today,
        List<Step> steps, CancellationToken ct)
    {
        if (moves.Count == 0)
        {
            return 0;
        }

        var rules = firm.Framework.Rules;
        await using var row = await PrepareAsync(c, tx,
            $"UPDATE alerts SET variant_key = @v, type_key = @t, explanation = @e, variant_changed_at = @at, version = version + 1 WHERE id = @id AND status = @s AND variant_key = @old AND {AwakeGuard}",
            ["@v", "@t", "@e", "@at", "@id", "@s", "@old", "@today"], ct);
        var moved = 0;
        foreach (var m in moves)
        {
            // A racing run, or a person, may have moved or closed it since it was read: then there is nothing to do.
            var to = rules[m.Rule].Variants[m.ToVariant].Key;
            if (!open.TryGetValue((m.Household, rules[m.Rule].Key), out var current) || current.VariantKey == to)
            {
                continue;
            }

            if (await ExecuteAsync(row, ct, to, rules[m.Rule].TypeKey(m.ToVariant), m.Explanation, now, current.Id, current.Status.ToString(), current.VariantKey, today) == 1)
            {
                var change = Alert.VariantMoved(new AlertId(current.Id), current.Status, current.VariantKey, to, default);
                steps.Add(new Step(current.Id, change.What, current.Status, current.Status, change.Note!));
                moved++;
            }
        }

        return moved;
    }

    private static async Task<int> ResolveAsync(
        DbConnection c, DbTransaction tx, List<AutomaticResolution> resolutions, Dictionary<(long, string), Current> open, long now, int today, List<Step> steps, CancellationToken ct)
    {
        if (resolutions.Count == 0)
        {
            return 0;
        }

        await using var row = await PrepareAsync(c, tx,
            $"UPDATE alerts SET status = 'Resolved', resolved_at = @at, resolution = @why, status_changed_at = @at, status_changed_by = '{Alert.System}', "
            + $"snoozed_until = NULL, version = version + 1 WHERE id = @id AND status = @s AND (@why = '{nameof(AlertResolution.RuleRemoved)}' OR {AwakeGuard})",
            ["@at", "@why", "@id", "@s", "@today"], ct);
        var resolved = 0;
        foreach (var r in resolutions)
        {
            if (!open.TryGetValue((r.Household, r.RuleKey), out var current))
            {
                continue;
            }

            if (await ExecuteAsync(row, ct, now, r.Why.ToString(), current.Id, current.Status.ToString(), today) == 1)
            {
                var change = r.Why == AlertResolution.RuleRemoved
                    ? Alert.RuleRemoved(new AlertId(current.Id), current.Status, default)
                    : Alert.ConditionCleared(new AlertId(current.Id), current.Status, default);
                steps.Add(new Step(current.Id, change.What, current.Status, AlertStatus.Resolved, change.Note!));
                resolved++;
            }
        }

        return resolved;
    }

    private static async Task ReleaseAsync(DbConnection c, DbTransaction tx, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var row = await PrepareAsync(c, tx, "UPDATE alerts SET holds_until_cleared = 0 WHERE id = @id AND holds_until_cleared", ["@id"], ct);
        foreach (var id in ids)
        {
            await ExecuteAsync(row, ct, id);
        }
    }

    private static async Task HistoryAsync(DbConnection c, DbTransaction tx, List<Step> steps, long now, CancellationToken ct)
    {
        if (steps.Count == 0)
        {
            return;
        }

        await using var row = await PrepareAsync(c, tx,
            $"INSERT INTO alert_changes (alert_id, at, actor, what, from_status, to_status, note) VALUES (@a, @at, '{Alert.System}', @w, @f, @t, @n)",
            ["@a", "@at", "@w", "@f", "@t", "@n"], ct);
        foreach (var s in steps)
        {
            await ExecuteAsync(row, ct, s.AlertId, now, s.What, s.From.ToString(), s.To.ToString(), s.Note);
        }
    }

    /// <summary>Keeps the could-not-evaluate list in step: entries added or refreshed, entries that now evaluate removed.</summary>
    private static async Task ListAsync(DbConnection c, DbTransaction tx, List<NotEvaluated> add, List<(long Household, string RuleKey)> remove, long now, CancellationToken ct)
    {
        if (add.Count > 0)
        {
            await using var row = await PrepareAsync(c, tx,
                $"INSERT INTO could_not_evaluate (household_id, rule_key, reason, recorded_at) VALUES (@h, @r, @why, @at) {ListUpsert}", ["@h", "@r", "@why", "@at"], ct);
            foreach (var a in add)
            {
                await ExecuteAsync(row, ct, a.Household, a.RuleKey, Cut(a.Reason), now);
            }
        }

        if (remove.Count > 0)
        {
            await using var row = await PrepareAsync(c, tx, "DELETE FROM could_not_evaluate WHERE household_id = @h AND rule_key = @r", ["@h", "@r"], ct);
            foreach (var (household, rule) in remove)
            {
                await ExecuteAsync(row, ct, household, rule);
            }
        }
    }

    private static string Cut(string reason) => reason.Length <= 500 ? reason : reason[..497] + "...";

    private static async Task<DbCommand> PrepareAsync(DbConnection c, DbTransaction tx, string sql, string[] names, CancellationToken ct)
    {
        var command = Sql.Command(c, tx, sql);
        foreach (var name in names)
        {
            Sql.Add(command, name, null);
        }

        await ServerPreparation.PrepareAsync(command, ct);
        return command;
    }

    private static Task<int> ExecuteAsync(DbCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(ct);
    }
}
