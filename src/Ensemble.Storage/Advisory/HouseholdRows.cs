using System.Globalization;
using Ensemble.Advisory.Alerts;

namespace Ensemble.Storage.Advisory;

/// <summary>An open alert of the household being evaluated, as the comparison needs it: its rule, its variant (-1 when the rule no longer has it) and whether it is snoozed.</summary>
internal readonly record struct OpenAlert(int Rule, short Variant, bool Snoozed);

/// <summary>
/// The one query the run streams: each household's packed fact sheet with its open alerts folded into one short
/// text — the alert type of each, and the day a snooze ends — read from an index that holds exactly that, in
/// household order. One row per household keeps the reading to a million rows for a million households however
/// many alerts are open, and nothing about open alerts is held in memory beyond the household at hand. Ids and
/// statuses are looked up only for the few alerts a run changes (see <see cref="AlertWriter"/>).
/// </summary>
internal static class HouseholdRows
{
    private const string Entry = "type_key || coalesce('~' || snoozed_until, '')";

    /// <summary>The query for the households in <paramref name="only"/>, or with <paramref name="ranged"/> those from @first to @last, or all.</summary>
    public static string Query(StorageProvider provider, long[]? only, bool ranged = false)
    {
        if (provider == StorageProvider.PostgreSql)
        {
            var inner = only is not null ? " AND household_id = ANY(@ids)" : ranged ? " AND household_id BETWEEN @first AND @last" : "";
            var outer = only is not null ? " WHERE f.household_id = ANY(@ids)" : ranged ? " WHERE f.household_id BETWEEN @first AND @last" : "";
            return $"SELECT f.household_id, f.sheet, o.open FROM fact_sheets f LEFT JOIN (SELECT household_id, string_agg({Entry}, ';') AS open "
                + $"FROM alerts WHERE {AdvisoryModel.OpenFilter}{inner} GROUP BY household_id) o ON o.household_id = f.household_id{outer} ORDER BY f.household_id";
        }

        // SQLite answers each household's part from the covering index of open alerts, without touching the table.
        var scope = only is not null ? " WHERE " + Sql.HouseholdIn(provider, "f.household_id", only) : ranged ? " WHERE f.household_id BETWEEN @first AND @last" : "";
        return $"SELECT f.household_id, f.sheet, (SELECT group_concat({Entry}, ';') FROM alerts INDEXED BY {AdvisoryModel.OpenTypesIndex} "
            + $"WHERE household_id = f.household_id AND {AdvisoryModel.OpenFilter}) FROM fact_sheets f{scope} ORDER BY f.household_id";
    }

    /// <summary>
    /// Reads a household's open alerts from the query's text into <paramref name="into"/>. An alert whose rule the
    /// framework no longer has is queued to be resolved; one whose variant it no longer has gets variant -1, so the
    /// run moves it to the variant that fires now.
    /// </summary>
    public static void Parse(ReadOnlySpan<char> text, long household, FirmFramework firm, int today, List<OpenAlert> into, PendingChanges pending)
    {
        foreach (var range in text.Split(';'))
        {
            var entry = text[range];
            var snoozed = false;
            var tilde = entry.IndexOf('~');
            if (tilde >= 0)
            {
                snoozed = int.Parse(entry[(tilde + 1)..], CultureInfo.InvariantCulture) > today;
                entry = entry[..tilde];
            }

            if (firm.TypeIndex(entry) is var (rule, variant) && rule >= 0)
            {
                into.Add(new OpenAlert(rule, (short)variant, snoozed));
                continue;
            }

            // Not a type of today's framework: the rule is gone, or its variants changed.
            var slash = entry.IndexOf('/');
            var ruleKey = slash < 0 ? entry : entry[..slash];
            rule = firm.RuleIndex(ruleKey);
            if (rule < 0)
            {
                pending.Resolve.Add(new AutomaticResolution(household, ruleKey.ToString(), AlertResolution.RuleRemoved));
                continue;
            }

            variant = slash >= 0 ? firm.VariantIndex(rule, entry[(slash + 1)..]) : firm.Framework.Rules[rule].Variants.Count == 1 ? 0 : -1;
            into.Add(new OpenAlert(rule, (short)variant, snoozed));
        }
    }
}
