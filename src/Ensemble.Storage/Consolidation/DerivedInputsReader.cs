using System.Globalization;
using Ensemble.Consolidation;
using Ensemble.Households;
using Ensemble.ServiceModel;
using NodaTime;

namespace Ensemble.Storage.Consolidation;

/// <summary>
/// Reads what the derived facts come from (stage, members, accounts, the last meeting held, the tier in force)
/// for a range of household ids, one query per table, so a rebuild of a million sheets stays a few hundred queries.
/// </summary>
internal static class DerivedInputsReader
{
    private sealed class Builder
    {
        public int Stage;
        public LocalDate? Primary;
        public LocalDate? First;
        public bool HasPrimary;
        public int Members;
        public int Dependants;
        public decimal? Stated;
        public decimal Accounts;
        public bool HasAccounts;
        public LocalDate? LastHeld;
        public int? Tier;
    }

    /// <summary>Inputs for the households in <paramref name="ids"/>, the chunk's households.</summary>
    public static async Task<Dictionary<long, DerivedInputs>> ReadAsync(EnsembleDb db, HouseholdChunk chunk, IReadOnlySet<long> ids, LocalDate today, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, Builder>(ids.Count);
        var range = chunk.Parameters;
        var households = chunk.Filter("household_id");
        await BulkSql.ReadAsync(db, "SELECT id, stage, stated_investable_assets FROM households WHERE " + chunk.Filter("id"), r =>
        {
            var id = r.GetInt64(0);
            if (ids.Contains(id))
            {
                found[id] = new Builder
                {
                    Stage = Stage(r.GetString(1)),
                    Stated = r.IsDBNull(2) ? null : r.GetDecimal(2),
                };
            }
        }, cancellationToken, range);

        await BulkSql.ReadAsync(db, "SELECT household_id, birth_date, relationship FROM members WHERE " + households + " ORDER BY household_id, id", r =>
        {
            if (!found.TryGetValue(r.GetInt64(0), out var b))
            {
                return;
            }

            LocalDate? birth = r.IsDBNull(1) ? null : LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(1));
            var relationship = r.GetString(2);
            b.Members++;
            if (relationship is nameof(Relationship.Child) or nameof(Relationship.Dependant))
            {
                b.Dependants++;
            }

            if (b.Members == 1)
            {
                b.First = birth;
            }

            if (!b.HasPrimary && relationship == nameof(Relationship.Primary))
            {
                b.HasPrimary = true;
                b.Primary = birth;
            }
        }, cancellationToken, range);

        await BulkSql.ReadAsync(db, "SELECT household_id, type, value FROM accounts WHERE " + households, r =>
        {
            if (found.TryGetValue(r.GetInt64(0), out var b))
            {
                b.HasAccounts = true;
                if (AccountTypes.IsInvestable(r.GetString(1)))
                {
                    b.Accounts += r.GetDecimal(2);
                }
            }
        }, cancellationToken, range);

        await BulkSql.ReadAsync(db, "SELECT household_id, MAX(starts_at) FROM touchpoints WHERE status = 'Held' AND " + households + " GROUP BY household_id", r =>
        {
            if (found.TryGetValue(r.GetInt64(0), out var b) && !r.IsDBNull(1))
            {
                b.LastHeld = LocalDate.FromDateOnly(DateOnly.ParseExact(r.GetString(1)[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }, cancellationToken, range);

        await BulkSql.ReadAsync(db, "SELECT household_id, computed, override_tier, override_until FROM household_tiers WHERE " + households, r =>
        {
            if (!found.TryGetValue(r.GetInt64(0), out var b))
            {
                return;
            }

            var tier = Enum.Parse<ServiceTier>(r.GetString(1));
            if (!r.IsDBNull(2) && (r.IsDBNull(3) || today <= LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(3))))
            {
                tier = Enum.Parse<ServiceTier>(r.GetString(2));
            }

            b.Tier = (int)tier;
        }, cancellationToken, range);

        var inputs = new Dictionary<long, DerivedInputs>(found.Count);
        foreach (var (id, b) in found)
        {
            // As Household.InvestableAssets: the accounts when any are known, else the stated figure.
            var investable = b.HasAccounts ? (double?)(double)b.Accounts : b.Stated is { } s ? (double)s : null;
            inputs[id] = new DerivedInputs(b.Stage, b.HasPrimary ? b.Primary : b.First, b.Members, b.Dependants, investable, b.LastHeld, 0, b.Tier);
        }

        return inputs;
    }

    private static int Stage(string stage) => stage switch
    {
        nameof(LifecycleStage.Client) => 1,
        nameof(LifecycleStage.FormerClient) => 2,
        _ => 0,
    };
}
