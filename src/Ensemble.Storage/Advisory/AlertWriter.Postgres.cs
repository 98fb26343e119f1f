using System.Data.Common;
using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>
/// The writes on PostgreSQL: every kind of change is one statement over arrays (unnest), and all of them go to the
/// server as one batch, so a batch of changes — or one household's after an import — costs a single round trip. Moves
/// and resolutions find, lock, change and record their alerts in one statement (a data-modifying WITH), so what the
/// history says the alert moved from is what it was when locked.
/// </summary>
internal static partial class AlertWriter
{
    private const string LockedOpen = "a.status <> 'Resolved'";

    private static async Task<WriteCounts> WritePostgresAsync(
        DbConnection c, DbTransaction tx, FirmFramework firm, PendingChanges pending, bool lookUpPrevious, long now, int today, CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return default;
        }

        var rules = firm.Framework.Rules;
        await using var batch = c.CreateBatch();
        batch.Transaction = tx;
        var generic = pending.Count <= GenericPlans.UpTo;
        if (generic)
        {
            Add(batch, GenericPlans.Use);
        }

        // Parameters are positional — the arrays first, in the order unnest names them, then the single values — so Npgsql
        // sends the text as it is instead of rewriting named ones on every call.
        DbBatchCommand? raise = null, move = null, resolve = null;
        if (pending.Raise.Count > 0)
        {
            var alerts = pending.Raise;
            raise = Add(batch, lookUpPrevious
                ? $"INSERT INTO alerts ({Columns}) SELECT u.h, u.r, u.v, u.t, 'New', $8, $8, '{Alert.System}', u.e, coalesce(u.p, prev.id), "
                    + "CASE WHEN u.p IS NOT NULL THEN u.n WHEN prev.id IS NULL THEN 0 ELSE prev.reopen_count + 1 END, FALSE, 0 "
                    + "FROM unnest($1, $2, $3, $4, $5, $6, $7) AS u(h, r, v, t, e, p, n) LEFT JOIN LATERAL (SELECT id, reopen_count FROM alerts "
                    + "WHERE household_id = u.h AND rule_key = u.r AND status = 'Resolved' ORDER BY id DESC LIMIT 1) prev ON TRUE ON CONFLICT DO NOTHING"
                : $"INSERT INTO alerts ({Columns}) SELECT u.h, u.r, u.v, u.t, 'New', $8, $8, '{Alert.System}', u.e, u.p, u.n, FALSE, 0 "
                    + "FROM unnest($1, $2, $3, $4, $5, $6, $7) AS u(h, r, v, t, e, p, n) ON CONFLICT DO NOTHING",
                alerts.Select(a => a.Household).ToArray(),
                alerts.Select(a => rules[a.Rule].Key).ToArray(),
                alerts.Select(a => rules[a.Rule].Variants[a.Variant].Key).ToArray(),
                alerts.Select(a => rules[a.Rule].TypeKey(a.Variant)).ToArray(),
                alerts.Select(a => a.Explanation).ToArray(),
                alerts.Select(a => a.Previous).ToArray(),
                alerts.Select(a => a.Previous is null ? 0 : a.ReopenCount).ToArray(),
                now);
        }

        if (pending.Moves.Count > 0)
        {
            var moves = pending.Moves;
            var sample = Alert.VariantMoved(default, AlertStatus.New, "", "", default);
            move = Add(batch,
                "WITH u AS (SELECT * FROM unnest($1, $2, $3, $4, $5) AS u(h, r, v, t, e)), "
                + "old AS (SELECT a.id, a.status, a.variant_key AS was, u.v, u.t, u.e FROM alerts a JOIN u ON a.household_id = u.h AND a.rule_key = u.r "
                + $"WHERE {LockedOpen} AND a.variant_key <> u.v AND (a.snoozed_until IS NULL OR a.snoozed_until <= $7) FOR UPDATE OF a), "
                + "moved AS (UPDATE alerts a SET variant_key = old.v, type_key = old.t, explanation = old.e, variant_changed_at = $6, version = a.version + 1 "
                + "FROM old WHERE a.id = old.id RETURNING a.id) "
                + "INSERT INTO alert_changes (alert_id, at, actor, what, from_status, to_status, note) "
                + $"SELECT old.id, $6, '{Alert.System}', $8, old.status, old.status, old.was || $9 || old.v FROM old JOIN moved ON moved.id = old.id",
                moves.Select(m => m.Household).ToArray(),
                moves.Select(m => rules[m.Rule].Key).ToArray(),
                moves.Select(m => rules[m.Rule].Variants[m.ToVariant].Key).ToArray(),
                moves.Select(m => rules[m.Rule].TypeKey(m.ToVariant)).ToArray(),
                moves.Select(m => m.Explanation).ToArray(),
                now,
                today,
                sample.What,
                AlertChange.VariantArrow);
        }

        if (pending.Resolve.Count > 0)
        {
            var resolutions = pending.Resolve;
            var cleared = Alert.ConditionCleared(default, AlertStatus.New, default);
            var removed = Alert.RuleRemoved(default, AlertStatus.New, default);
            const string gone = nameof(AlertResolution.RuleRemoved);
            resolve = Add(batch,
                "WITH u AS (SELECT * FROM unnest($1, $2, $3) AS u(h, r, why)), "
                + "old AS (SELECT a.id, a.status, u.why FROM alerts a JOIN u ON a.household_id = u.h AND a.rule_key = u.r "
                + $"WHERE {LockedOpen} AND (u.why = '{gone}' OR a.snoozed_until IS NULL OR a.snoozed_until <= $5) FOR UPDATE OF a), "
                + $"done AS (UPDATE alerts a SET status = 'Resolved', resolved_at = $4, resolution = old.why, status_changed_at = $4, status_changed_by = '{Alert.System}', "
                + "snoozed_until = NULL, version = a.version + 1 FROM old WHERE a.id = old.id RETURNING a.id) "
                + "INSERT INTO alert_changes (alert_id, at, actor, what, from_status, to_status, note) "
                + $"SELECT old.id, $4, '{Alert.System}', CASE WHEN old.why = '{gone}' THEN $6 ELSE $7 END, old.status, 'Resolved', "
                + $"CASE WHEN old.why = '{gone}' THEN $8 ELSE $9 END FROM old JOIN done ON done.id = old.id",
                resolutions.Select(r => r.Household).ToArray(),
                resolutions.Select(r => r.RuleKey).ToArray(),
                resolutions.Select(r => r.Why.ToString()).ToArray(),
                now,
                today,
                removed.What,
                cleared.What,
                removed.Note,
                cleared.Note);
        }

        if (pending.Release.Count > 0)
        {
            Add(batch, "UPDATE alerts SET holds_until_cleared = FALSE WHERE id = ANY($1) AND holds_until_cleared", pending.Release.ToArray());
        }

        if (pending.Unevaluated.Count > 0)
        {
            var add = pending.Unevaluated;
            Add(batch,
                $"INSERT INTO could_not_evaluate (household_id, rule_key, reason, recorded_at) SELECT u.h, u.r, u.why, $4 FROM unnest($1, $2, $3) AS u(h, r, why) {ListUpsert}",
                add.Select(a => a.Household).ToArray(),
                add.Select(a => a.RuleKey).ToArray(),
                add.Select(a => Cut(a.Reason)).ToArray(),
                now);
        }

        if (pending.Evaluated.Count > 0)
        {
            var remove = pending.Evaluated;
            Add(batch,
                "DELETE FROM could_not_evaluate AS l USING unnest($1, $2) AS u(h, r) WHERE l.household_id = u.h AND l.rule_key = u.r",
                remove.Select(r => r.Household).ToArray(),
                remove.Select(r => r.RuleKey).ToArray());
        }

        if (generic)
        {
            Add(batch, GenericPlans.Restore);
        }

        // Prepared once per connection and kept by Npgsql (by itself when multiplexing); for a few changes the server keeps their plan too (see GenericPlans).
        await ServerPreparation.PrepareAsync(batch, ct);
        await batch.ExecuteNonQueryAsync(ct);
        return new WriteCounts(raise?.RecordsAffected ?? 0, move?.RecordsAffected ?? 0, resolve?.RecordsAffected ?? 0);
    }

    private static DbBatchCommand Add(DbBatch batch, string sql, params object?[] values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
        return command;
    }
}
