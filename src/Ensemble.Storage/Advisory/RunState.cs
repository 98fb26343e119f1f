using System.Data.Common;
using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>A resolved alert that holds its rule back until the condition clears (see <see cref="Alert.HoldsUntilCleared"/>).</summary>
internal readonly record struct HeldAlert(long Id, int Variant, int ReopenCount);

/// <summary>
/// What the run needs besides each household's own row, read up front: alerts held back by a person's resolution
/// and the could-not-evaluate list of the last run (both short next to the book), and whether any alert was ever
/// resolved. Read in one round trip; for a few households, together with their rows.
/// </summary>
internal sealed class RunState
{
    public Dictionary<(long Household, int Rule), HeldAlert> Held { get; } = [];

    public HashSet<(long Household, int Rule)> Unevaluated { get; } = [];

    /// <summary>Could-not-evaluate entries of rules the framework no longer has: removed from the list.</summary>
    public List<(long Household, string RuleKey)> StaleUnevaluated { get; } = [];

    /// <summary>False when no alert was ever resolved, so no new alert has one to link back to and the look-up is skipped.</summary>
    public bool AnyResolved { get; private set; } = true;

    /// <summary>The could-not-evaluate entries of households from <paramref name="first"/> to <paramref name="last"/>, as a set of their own.</summary>
    public HashSet<(long Household, int Rule)> UnevaluatedBetween(long first, long last) =>
        Unevaluated.Where(u => u.Household >= first && u.Household <= last).ToHashSet();

    /// <summary>Reads the state for the whole book.</summary>
    public static async Task<RunState> LoadAsync(DbConnection connection, StorageProvider provider, FirmFramework framework, CancellationToken cancellationToken)
    {
        var state = new RunState();

        // Every resolution writes a history row, so an empty history means nothing was ever resolved (and this stays cheap on a big table).
        await using var command = Sql.Command(connection, null, $"{HeldQuery(provider, null)}; {ListQuery(provider, null)}; SELECT count(*) FROM (SELECT 1 FROM alert_changes LIMIT 1) AS any_change");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await state.ReadAsync(reader, framework, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        state.AnyResolved = await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) > 0;
        return state;
    }

    /// <summary>Reads the state of a few households and their rows (<see cref="HouseholdRows"/>), in one round trip.</summary>
    public static async Task<(RunState State, List<(long Household, byte[] Sheet, string? Open)> Rows)> LoadAsync(
        DbConnection connection, DbTransaction? transaction, StorageProvider provider, FirmFramework framework, long[] only, CancellationToken cancellationToken)
    {
        var state = new RunState();
        var rows = new List<(long, byte[], string?)>(only.Length);
        var generic = provider == StorageProvider.PostgreSql && only.Length <= GenericPlans.UpTo;
        var queries = $"{HeldQuery(provider, only)}; {ListQuery(provider, only)}; {HouseholdRows.Query(provider, only)}";
        await using var command = Sql.Command(connection, transaction, generic ? $"{GenericPlans.Use}; {queries}; {GenericPlans.Restore}" : queries);
        Sql.Bind(command, provider, only);
        if (provider == StorageProvider.PostgreSql)
        {
            // The text is the same for every call (the ids are an array parameter): Npgsql keeps it prepared on the connection.
            await ServerPreparation.PrepareAsync(command, cancellationToken);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (generic)
        {
            await reader.NextResultAsync(cancellationToken);
        }

        await state.ReadAsync(reader, framework, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return (state, rows);
    }

    private static string HeldQuery(StorageProvider provider, long[]? only) =>
        $"SELECT household_id, id, rule_key, variant_key, reopen_count FROM alerts WHERE {AdvisoryModel.HeldFilter}{(only is null ? "" : " AND " + Sql.HouseholdIn(provider, "household_id", only))}";

    private static string ListQuery(StorageProvider provider, long[]? only) =>
        $"SELECT household_id, rule_key FROM could_not_evaluate{(only is null ? "" : " WHERE " + Sql.HouseholdIn(provider, "household_id", only))}";

    /// <summary>Reads the held alerts and the could-not-evaluate list, the first two results of the command.</summary>
    private async Task ReadAsync(DbDataReader reader, FirmFramework framework, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var rule = framework.RuleIndex(reader.GetString(2));
            if (rule < 0)
            {
                continue;
            }

            var key = (reader.GetInt64(0), rule);
            var held = new HeldAlert(reader.GetInt64(1), framework.VariantIndex(rule, reader.GetString(3)), reader.GetInt32(4));
            if (!Held.TryGetValue(key, out var other) || other.Id < held.Id)
            {
                Held[key] = held;
            }
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var ruleKey = reader.GetString(1);
            var rule = framework.RuleIndex(ruleKey);
            if (rule < 0)
            {
                StaleUnevaluated.Add((reader.GetInt64(0), ruleKey));
            }
            else
            {
                Unevaluated.Add((reader.GetInt64(0), rule));
            }
        }
    }
}
